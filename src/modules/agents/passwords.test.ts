import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './passwords.js';

async function median(fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[2]!;
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
    const real = await median(() => verifyPassword('wrong password!', hash));
    const decoy = await median(() => verifyPassword('wrong password!', null));
    // Generous bound: the machine is shared, but skipping argon2 would be ~1000x faster.
    expect(decoy).toBeGreaterThan(real * 0.3);
  });
});
