import { beforeAll, describe, expect, it } from 'vitest';
import { getTestApp } from '../../../test/harness.js';
import { createTeam } from '../../../test/factories.js';
import { createCase, type CaseView } from '../../cases/service.js';
import {
  billingWorld,
  failPayment,
  openDisputeRow,
  refundPayment,
  relayEvents,
  replayEvents,
  type BillingWorld,
} from '../outreach/test-support.js';
import { updateTriageSettings, type TriageSettingsInput } from './settings.js';

// Building the test server takes a while: do it outside the tests' time limit.
beforeAll(async () => {
  await getTestApp();
});

async function newCase(world: BillingWorld, options: { type?: 'question' | 'dispute'; tags?: string[] } = {}): Promise<CaseView> {
  return createCase(world.ctx.db, world.ws.system, {
    customerId: world.customer.id,
    subject: 'Why was I charged?',
    category: 'billing',
    channel: 'email',
    ...options,
    message: { bodyText: 'Please explain this charge.' },
  });
}

async function caseRow(world: BillingWorld, id: string) {
  return world.ctx.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

async function eventsOf(world: BillingWorld, caseId: string) {
  return world.ctx.db
    .selectFrom('case_events')
    .select(['type', 'data', 'actor_type'])
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute();
}

async function configure(world: BillingWorld, input: Partial<TriageSettingsInput>) {
  await updateTriageSettings(world.ctx.db, world.admin.actor, {
    enabled: true,
    failed_payment_days: 30,
    refund_days: 30,
    routes: {},
    ...input,
  });
}

const today = () => new Date().toISOString().slice(0, 10);

describe('billing-aware triage', () => {
  it('tags a failed payment, raises priority, routes to the configured queue and says why', async () => {
    const world = await billingWorld();
    const team = await createTeam(world.ws, { queues: [{ name: 'Payments' }] });
    await configure(world, { routes: { failed_payment: { team_id: team.id, queue_id: team.queues[0]!.id } } });
    const payment = await failPayment(world);
    const kase = await newCase(world);
    await relayEvents(world.ctx);

    const row = await caseRow(world, kase.id);
    expect(row).toMatchObject({ tags: ['billing:failed-payment'], priority: 'high', team_id: team.id, queue_id: team.queues[0]!.id });
    const events = await eventsOf(world, kase.id);
    const triaged = events.filter((e) => e.type === 'billing_triaged');
    expect(triaged).toHaveLength(1);
    expect(triaged[0]!.actor_type).toBe('system');
    expect(triaged[0]!.data).toMatchObject({
      reasons: [
        { signal: 'failed_payment', detail: `Payment of 49.90 EUR failed on ${today()}: card_declined`, payment_id: payment.paymentId },
      ],
      route: { team_id: team.id, queue_id: team.queues[0]!.id },
    });
    // History through the cases module: one entry per changed field.
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['tags_changed', 'priority_changed', 'team_changed', 'queue_changed']),
    );
  });

  it('tags an open dispute with high priority; its route wins over the failed payment’s', async () => {
    const world = await billingWorld();
    const disputes = await createTeam(world.ws, { name: 'Disputes team' });
    const payments = await createTeam(world.ws, { name: 'Payments team' });
    await configure(world, { routes: { failed_payment: { team_id: payments.id }, open_dispute: { team_id: disputes.id } } });
    await failPayment(world);
    await openDisputeRow(world);
    const kase = await newCase(world);
    await relayEvents(world.ctx);

    const row = await caseRow(world, kase.id);
    expect(row.tags.sort()).toEqual(['billing:failed-payment', 'billing:open-dispute']);
    expect(row).toMatchObject({ priority: 'high', team_id: disputes.id });
    const [triaged] = (await eventsOf(world, kase.id)).filter((e) => e.type === 'billing_triaged');
    expect((triaged!.data as { reasons: { signal: string; detail: string }[] }).reasons).toEqual([
      expect.objectContaining({ signal: 'failed_payment' }),
      expect.objectContaining({ signal: 'open_dispute', detail: 'The customer has an open dispute', open_disputes: 1 }),
    ]);
  });

  it('tags a recent refund without raising priority', async () => {
    const world = await billingWorld();
    const refund = await refundPayment(world, { amountMinor: 2500 });
    const kase = await newCase(world);
    await relayEvents(world.ctx);

    const row = await caseRow(world, kase.id);
    expect(row).toMatchObject({ tags: ['billing:recent-refund'], priority: 'normal', team_id: null });
    const [triaged] = (await eventsOf(world, kase.id)).filter((e) => e.type === 'billing_triaged');
    expect(triaged!.data).toMatchObject({
      reasons: [{ signal: 'recent_refund', detail: `Refund of 25.00 EUR on ${today()} (succeeded)`, refund_id: refund.refundId }],
      route: null,
    });
  });

  it('leaves a case untouched without a signal, and ignores a failed payment older than the window', async () => {
    const world = await billingWorld();
    await configure(world, { failed_payment_days: 10 });
    await failPayment(world, { paidAt: new Date(Date.now() - 20 * 86_400_000) });
    const kase = await newCase(world);
    await relayEvents(world.ctx);
    const row = await caseRow(world, kase.id);
    expect(row).toMatchObject({ tags: [], priority: 'normal', version: kase.version });
    expect((await eventsOf(world, kase.id)).map((e) => e.type)).toEqual(['created', 'message_added']);
  });

  it('counts each signal within its own window: a failed payment within its days, a refund past its own', async () => {
    const world = await billingWorld();
    await configure(world, { failed_payment_days: 30, refund_days: 5 });
    await failPayment(world, { paidAt: new Date(Date.now() - 20 * 86_400_000) });
    const refund = await refundPayment(world, { amountMinor: 2500 });
    await world.ctx.db
      .updateTable('billing_refunds')
      .set({ created_at: new Date(Date.now() - 10 * 86_400_000) })
      .where('id', '=', refund.refundId)
      .execute();
    const kase = await newCase(world);
    await relayEvents(world.ctx);
    expect(await caseRow(world, kase.id)).toMatchObject({ tags: ['billing:failed-payment'] });

    await configure(world, { failed_payment_days: 10, refund_days: 30 });
    const second = await newCase(world);
    await relayEvents(world.ctx);
    expect(await caseRow(world, second.id)).toMatchObject({ tags: ['billing:recent-refund'] });
  });

  it('triages once: a replayed case.created changes nothing more', async () => {
    const world = await billingWorld();
    await failPayment(world);
    const kase = await newCase(world);
    await relayEvents(world.ctx);
    const before = await caseRow(world, kase.id);
    await replayEvents(world.ctx, world.ws.id, 'case.created');
    await relayEvents(world.ctx);
    const after = await caseRow(world, kase.id);
    expect(after.version).toBe(before.version);
    expect((await eventsOf(world, kase.id)).filter((e) => e.type === 'billing_triaged')).toHaveLength(1);
  });

  it('skips dispute cases, proactive cases, and everything when switched off', async () => {
    const world = await billingWorld();
    await failPayment(world);
    const dispute = await newCase(world, { type: 'dispute' });
    const proactive = await newCase(world, { tags: ['proactive'] });
    await relayEvents(world.ctx);
    expect((await caseRow(world, dispute.id)).tags).toEqual([]);
    expect((await caseRow(world, proactive.id)).tags).toEqual(['proactive']);

    const off = await billingWorld();
    await configure(off, { enabled: false });
    await failPayment(off);
    const plain = await newCase(off);
    await relayEvents(off.ctx);
    expect(await caseRow(off, plain.id)).toMatchObject({ tags: [], priority: 'normal' });
  });
});
