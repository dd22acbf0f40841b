import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './passwords.js';

/** Medians of two checks timed in turns, so a busy moment of a shared machine weighs on both alike. */
async function medians(a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[number, number]> {
  const times: [number[], number[]] = [[], []];
  const time = async (fn: () => Promise<unknown>) => {
    const start = performance.now();
    await fn();
    return performance.now() - start;
  };
  for (let i = 0; i < 7; i++) {
    times[0].push(await time(a));
    times[1].push(await time(b));
  }
  const median = (values: number[]) => values.sort((x, y) => x - y)[3]!;
  return [median(times[0]), median(times[1])];
}

describe('passwords', () => {
  it('hashes with argon2id and verifies', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
  });

  it('enforces 10 to 200 characters (code points)', async () => {
    await expect(hashPassword('123456789')).rejects.toMatchObject({ code: 'agent.password_too_short' });
    await expect(hashPassword('x'.repeat(201))).rejects.toMatchObject({ code: 'agent.password_too_long' });
    expect(await hashPassword('🔑'.repeat(10))).toMatch(/^\$argon2id/);
  });

  it('treats a missing or malformed hash as a mismatch that costs as much as a real check', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(await verifyPassword('anything at all', null)).toBe(false);
    expect(await verifyPassword('anything at all', 'not-a-phc-string')).toBe(false);
    const [real, decoy] = await medians(
      () => verifyPassword('wrong password!', hash),
      () => verifyPassword('wrong password!', null),
    );
    // Generous bound: the machine is shared, but skipping argon2 would be ~1000x faster.
    expect(decoy).toBeGreaterThan(real * 0.3);
  });
});
