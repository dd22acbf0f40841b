import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace } from '../../test/factories.js';
import { getTestApp, getTestContext } from '../../test/harness.js';
import { advanceCaseNumbers, caseNumberSequence, nextCaseNumber } from './case-numbers.js';
import { caseWorld, postCase } from './test-support.js';

beforeAll(async () => {
  await getTestApp();
});

describe('case numbers', () => {
  it('numbers a workspace from 1001 on, independently of other workspaces', async () => {
    const { db } = await getTestContext();
    const [a, b] = [await createWorkspace(), await createWorkspace()];
    const take = (ws: string) => db.transaction().execute((tx) => nextCaseNumber(tx, ws));
    expect(await take(a.id)).toBe(1001);
    expect(await take(a.id)).toBe(1002);
    expect(await take(b.id)).toBe(1001);
    expect(await take(a.id)).toBe(1003);
  });

  it('continues after the highest number already used when the sequence is created', async () => {
    const { agent, customerId } = await caseWorld();
    const first = await postCase(agent, { customer_id: customerId });
    const { db } = await getTestContext();
    // As if the cases had been copied in without a sequence (an import, a restore of old data).
    await sql`drop sequence ${sql.id(caseNumberSequence(agent.workspaceId))}`.execute(db);
    const second = await postCase(agent, { customer_id: customerId });
    expect(second.number).toBe(first.number + 1);
  });

  it('moves past numbers written by the seeder', async () => {
    const { db } = await getTestContext();
    const ws = await createWorkspace();
    await advanceCaseNumbers(db, ws.id, 5000);
    expect(await db.transaction().execute((tx) => nextCaseNumber(tx, ws.id))).toBe(5001);
    await advanceCaseNumbers(db, ws.id, 1200);
    expect(await db.transaction().execute((tx) => nextCaseNumber(tx, ws.id))).toBe(5002);
  });

  it('refuses a workspace id that is not a UUID (the name is used as an identifier)', () => {
    expect(() => caseNumberSequence('x"; drop table cases; --')).toThrow(/not a workspace id/);
  });

  // PGlite has one connection, so two open transactions need a PostgreSQL server.
  describe.skipIf(!process.env.DATABASE_URL)('on a PostgreSQL server', () => {
    it('lets two open transactions take numbers without waiting for each other', async () => {
      const { db } = await getTestContext();
      const ws = await createWorkspace();
      await db.transaction().execute((tx) => nextCaseNumber(tx, ws.id)); // the sequence exists: 1001
      let releaseFirst!: () => void;
      const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
      let firstTook!: (n: number) => void;
      const firstNumber = new Promise<number>((resolve) => (firstTook = resolve));
      const first = db.transaction().execute(async (tx) => {
        firstTook(await nextCaseNumber(tx, ws.id));
        await firstHolds;
      });
      const taken = await firstNumber;
      // The first transaction is still open; a counter row would make this one wait for it.
      const second = await db.transaction().execute((tx) => nextCaseNumber(tx, ws.id));
      releaseFirst();
      await first;
      expect([taken, second]).toEqual([1002, 1003]);
    });

    it('creates the sequence once when the first two cases of a workspace race', async () => {
      const { db } = await getTestContext();
      const ws = await createWorkspace();
      const numbers = await Promise.all(
        Array.from({ length: 4 }, () =>
          db.transaction().execute(async (tx) => {
            const n = await nextCaseNumber(tx, ws.id);
            await sql`select pg_sleep(0.05)`.execute(tx);
            return n;
          }),
        ),
      );
      expect(numbers.sort()).toEqual([1001, 1002, 1003, 1004]);
    });
  });
});
