import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { closeTestHarness, getTestContext } from '../test/harness.js';

afterAll(closeTestHarness);

// PGlite is built without LLVM: JIT exists only on a PostgreSQL server.
describe.skipIf(!process.env.DATABASE_URL)('PostgreSQL sessions', () => {
  it('run without JIT on every pooled connection, inside transactions too', async () => {
    const { db } = await getTestContext();
    // Five at once so the pool opens several connections, each of which must have it off.
    const settings = await Promise.all(
      Array.from({ length: 5 }, () =>
        db.transaction().execute(async (tx) => (await sql<{ jit: string }>`show jit`.execute(tx)).rows[0]?.jit),
      ),
    );
    expect(settings).toEqual(['off', 'off', 'off', 'off', 'off']);
  });
});
