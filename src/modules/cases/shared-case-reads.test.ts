import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../platform/actor.js';
import { shareReadsIn } from '../../platform/batch-reads.js';
import { getTestApp } from '../../test/harness.js';
import { getCase } from './get-case.js';
import { caseWorld, postCase } from './test-support.js';
import { updateCaseLocked } from './update-case.js';

beforeAll(async () => {
  await getTestApp();
});

describe('case reads shared by the listeners of a relay batch', () => {
  it("answers Baton's repeated reads of a case from the batch until the case changes", async () => {
    const world = await caseWorld();
    const created = await postCase(world.agent, { customer_id: world.customerId, subject: 'Refund for order 7' });
    const system = systemActor(world.workspace.id, 'test');

    await world.db.transaction().execute(async (tx) => {
      shareReadsIn(tx);
      const first = await getCase(tx, system, created.id);
      expect(first.subject).toBe('Refund for order 7');

      // A write behind the cases module's back is not seen: the read is the batch's shared one.
      await sql`update cases set subject = 'Changed behind its back' where id = ${created.id}`.execute(tx);
      expect((await getCase(tx, system, created.id)).subject).toBe('Refund for order 7');
      // A person's read is never shared.
      expect((await getCase(tx, world.agent.actor, created.id)).subject).toBe('Changed behind its back');

      // A change through the cases module empties the shared reads: the next read sees everything.
      await updateCaseLocked(tx, system, created.id, { priority: 'urgent' });
      const after = await getCase(tx, system, created.id);
      expect(after.priority).toBe('urgent');
      expect(after.subject).toBe('Changed behind its back');
    });
  });

  it('reads afresh in every transaction that is not a relay batch', async () => {
    const world = await caseWorld();
    const created = await postCase(world.agent, { customer_id: world.customerId, subject: 'Card declined' });
    const system = systemActor(world.workspace.id, 'test');
    await world.db.transaction().execute(async (tx) => {
      await getCase(tx, system, created.id);
      await sql`update cases set subject = 'Card declined twice' where id = ${created.id}`.execute(tx);
      expect((await getCase(tx, system, created.id)).subject).toBe('Card declined twice');
    });
  });
});
