import { beforeAll, describe, expect, it } from 'vitest';
import { getTestApp } from '../test/harness.js';
import { getCase } from '../modules/cases/service.js';
import { listDisputesOfCustomer } from '../modules/disputes/service.js';
import { disputeWorld, paidInvoice } from '../modules/disputes/test-support.js';
import { seedDemoDisputes } from './disputes.js';

beforeAll(async () => {
  await getTestApp();
});

describe('demo dispute', () => {
  it('opens one dispute needing a response, due in about five days, with prefilled evidence', async () => {
    const { db, workspace, agent, customerId } = await disputeWorld();
    await paidInvoice(workspace, customerId, { currency: 'USD', amountMinor: 12000 });
    await seedDemoDisputes(db, workspace.system, [customerId]);
    const [dispute] = await listDisputesOfCustomer(db, agent.actor, customerId);
    expect(dispute).toMatchObject({ status: 'needs_response', reason: 'subscription_canceled', amount_display: '120.00 USD' });
    const days = (new Date(dispute!.evidence_due_at!).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(4.9);
    expect(days).toBeLessThan(5.1);
    expect((await getCase(db, agent.actor, dispute!.case!.id)).type).toBe('dispute');
    const { count } = await db
      .selectFrom('dispute_evidence_items')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('dispute_id', '=', dispute!.id)
      .executeTakeFirstOrThrow();
    expect(Number(count)).toBeGreaterThan(2);
  });
});
