import { beforeAll, describe, expect, it } from 'vitest';
import { getTestApp, getTestContext } from '../../test/harness.js';
import { getCase, listMessages } from '../cases/service.js';
import { getPayment } from '../billing/service.js';
import { countOpenDisputesOfCustomer, listDisputesOfCustomer } from './service.js';
import { DAY, disputeWorld, paidInvoice, processorInput, recordViaWebhook } from './test-support.js';

beforeAll(async () => {
  await getTestApp();
});

async function domainEvents(disputeId: string): Promise<string[]> {
  const { db } = await getTestContext();
  const rows = await db.selectFrom('domain_events').select('type').where('aggregate_id', '=', disputeId).orderBy('id').execute();
  return rows.map((r) => r.type);
}

async function caseEventTypes(caseId: string): Promise<string[]> {
  const { db } = await getTestContext();
  const rows = await db.selectFrom('case_events').select('type').where('case_id', '=', caseId).orderBy('id').execute();
  return rows.map((r) => r.type);
}

describe('recordProcessorDispute', () => {
  it('opens one dispute case with the evidence deadline, marks the payment and emits dispute.opened', async () => {
    const { db, workspace, agent, customerId } = await disputeWorld();
    const billing = await paidInvoice(workspace, customerId);
    const due = new Date(Date.now() + 6 * DAY);
    const input = processorInput({ customerId, accountId: billing.accountId, paymentId: billing.paymentId, evidenceDueAt: due });
    const first = await recordViaWebhook(workspace, input);
    expect(first.changed).toBe(true);
    expect(first.caseId).not.toBeNull();

    const kase = await getCase(db, agent.actor, first.caseId!);
    expect(kase).toMatchObject({ type: 'dispute', category: 'dispute', priority: 'high', channel: 'api' });
    expect(kase.subject).toBe('Dispute: 49.90 EUR – product not received (Visa •••• 4242)');
    expect(new Date(kase.due_at!).getTime()).toBe(due.getTime());
    const messages = await listMessages(db, agent.actor, kase.id);
    expect(messages.data[0]).toMatchObject({ visibility: 'internal', author_type: 'system' });
    expect(messages.data[0]!.body_text).toContain('Amount: 49.90 EUR');
    expect((await getPayment(db, agent.actor, billing.paymentId)).disputed).toBe(true);
    expect(await domainEvents(first.disputeId)).toEqual(['dispute.opened']);

    // The same event again (a replay) changes nothing and opens no second case.
    const replay = await recordViaWebhook(workspace, input);
    expect(replay).toEqual({ disputeId: first.disputeId, caseId: first.caseId, changed: false });
    const { count } = await db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('workspace_id', '=', workspace.id)
      .where('type', '=', 'dispute')
      .executeTakeFirstOrThrow();
    expect(Number(count)).toBe(1);
    expect(await countOpenDisputesOfCustomer(db, agent.actor, customerId)).toBe(1);
    const listed = await listDisputesOfCustomer(db, agent.actor, customerId);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: first.disputeId, amount_display: '49.90 EUR', case: { id: first.caseId } });
  });

  it('ignores an older event, moves the deadline on a newer one and never leaves a final status', async () => {
    const { db, workspace, agent, customerId } = await disputeWorld();
    const t0 = new Date(Date.now() - 10 * 60_000);
    const base = processorInput({ customerId, eventAt: t0, evidenceDueAt: new Date(Date.now() + 5 * DAY) });
    const opened = await recordViaWebhook(workspace, base);

    const later = new Date(t0.getTime() + 60_000);
    const newDue = new Date(Date.now() + 8 * DAY);
    const moved = await recordViaWebhook(workspace, { ...base, eventAt: later, evidenceDueAt: newDue });
    expect(moved.changed).toBe(true);
    expect(new Date((await getCase(db, agent.actor, opened.caseId!)).due_at!).getTime()).toBe(newDue.getTime());

    // Out of order: an event from before the last one applied changes nothing.
    const stale = await recordViaWebhook(workspace, { ...base, eventAt: t0, status: 'under_review', evidenceDueAt: null });
    expect(stale.changed).toBe(false);
    expect(new Date((await getCase(db, agent.actor, opened.caseId!)).due_at!).getTime()).toBe(newDue.getTime());

    const won = await recordViaWebhook(workspace, { ...base, eventAt: new Date(later.getTime() + 60_000), status: 'won' });
    expect(won.changed).toBe(true);
    // A newer event with a non-final status (a late retry by the processor) does not reopen it.
    await recordViaWebhook(workspace, { ...base, eventAt: new Date(later.getTime() + 120_000), status: 'needs_response' });
    const [view] = await listDisputesOfCustomer(db, agent.actor, customerId);
    expect(view).toMatchObject({ status: 'won', outcome: 'won' });
    expect(view!.outcome_at).not.toBeNull();
    expect(await countOpenDisputesOfCustomer(db, agent.actor, customerId)).toBe(0);
    expect(await domainEvents(opened.disputeId)).toEqual(['dispute.opened', 'dispute.updated', 'dispute.closed']);
    const events = await caseEventTypes(opened.caseId!);
    expect(events).toContain('due_changed');
    expect(events).toContain('dispute_updated');
    expect(events).toContain('dispute_closed');
    const notes = (await listMessages(db, agent.actor, opened.caseId!)).data.map((m) => m.body_text);
    expect(notes.some((n) => n.startsWith('Dispute won'))).toBe(true);
  });

  it('records an unknown reason as general and refuses an unknown status', async () => {
    const { workspace, customerId } = await disputeWorld();
    const result = await recordViaWebhook(workspace, processorInput({ customerId, reason: 'something_new' }));
    const { db } = await getTestContext();
    const row = await db.selectFrom('disputes').select('reason').where('id', '=', result.disputeId).executeTakeFirstOrThrow();
    expect(row.reason).toBe('general');
    await expect(recordViaWebhook(workspace, processorInput({ customerId, status: 'bogus' }))).rejects.toMatchObject({
      code: 'dispute.invalid_status',
    });
  });
});

describe('a dispute first seen already closed', () => {
  it('still opens its case: the facts, the outcome and the closing note, then the case is solved', async () => {
    const { db, workspace, agent, customerId } = await disputeWorld();
    const billing = await paidInvoice(workspace, customerId);
    const eventAt = new Date(Date.now() - 60_000);
    const input = processorInput({
      customerId,
      accountId: billing.accountId,
      paymentId: billing.paymentId,
      status: 'lost',
      eventAt,
      evidenceDueAt: new Date(Date.now() - 2 * DAY),
    });
    const result = await recordViaWebhook(workspace, input);
    expect(result.changed).toBe(true);
    expect(result.caseId).not.toBeNull();

    const kase = await getCase(db, agent.actor, result.caseId!);
    expect(kase).toMatchObject({ type: 'dispute', category: 'dispute', status: 'solved', due_at: null });
    const row = await db.selectFrom('disputes').selectAll().where('id', '=', result.disputeId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ case_id: result.caseId, status: 'lost', outcome: 'lost' });
    expect(row.outcome_at!.getTime()).toBe(eventAt.getTime());
    const notes = (await listMessages(db, agent.actor, kase.id)).data.map((m) => m.body_text);
    expect(notes.some((n) => n.includes('Amount: 49.90 EUR'))).toBe(true);
    expect(notes.some((n) => n.startsWith('Dispute lost'))).toBe(true);
    const events = await db.selectFrom('case_events').select(['type', 'data']).where('case_id', '=', kase.id).orderBy('id').execute();
    expect(events.find((e) => e.type === 'dispute_closed')?.data).toMatchObject({ outcome: 'lost', first_seen_closed: true });
    expect(events.find((e) => e.type === 'status_changed')?.data).toMatchObject({ to: 'solved' });
    expect(await domainEvents(result.disputeId)).toEqual(['dispute.opened', 'dispute.closed']);
    expect(await countOpenDisputesOfCustomer(db, agent.actor, customerId)).toBe(0);
    expect((await getPayment(db, agent.actor, billing.paymentId)).disputed).toBe(true);

    // The same closing event again: no second case, nothing changes.
    expect(await recordViaWebhook(workspace, input)).toEqual({ disputeId: result.disputeId, caseId: result.caseId, changed: false });
    const { count } = await db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('workspace_id', '=', workspace.id)
      .where('type', '=', 'dispute')
      .executeTakeFirstOrThrow();
    expect(Number(count)).toBe(1);
  });

  it('an inquiry closed without a chargeback gets a solved case without an outcome', async () => {
    const { db, workspace, agent, customerId } = await disputeWorld();
    const result = await recordViaWebhook(workspace, processorInput({ customerId, status: 'warning_closed' }));
    const kase = await getCase(db, agent.actor, result.caseId!);
    expect(kase.status).toBe('solved');
    const row = await db.selectFrom('disputes').select(['outcome']).where('id', '=', result.disputeId).executeTakeFirstOrThrow();
    expect(row.outcome).toBeNull();
    const notes = (await listMessages(db, agent.actor, kase.id)).data.map((m) => m.body_text);
    expect(notes.some((n) => n.startsWith('Dispute inquiry closed'))).toBe(true);
  });

  it('a dispute recorded without a case (before every dispute got one) gets it with its next change', async () => {
    const { db, workspace, agent, customerId } = await disputeWorld();
    const input = processorInput({ customerId, status: 'needs_response', eventAt: new Date(Date.now() - 120_000) });
    await db
      .insertInto('disputes')
      .values({
        workspace_id: workspace.id,
        customer_id: customerId,
        source: 'stripe',
        external_id: input.externalId,
        amount_minor: input.amountMinor,
        currency: 'EUR',
        reason: 'product_not_received',
        status: 'needs_response',
        evidence_due_at: input.evidenceDueAt,
        source_event_at: input.eventAt,
      })
      .execute();
    const later = await recordViaWebhook(workspace, { ...input, status: 'under_review', eventAt: new Date(Date.now() - 60_000) });
    expect(later.changed).toBe(true);
    expect(later.caseId).not.toBeNull();
    const kase = await getCase(db, agent.actor, later.caseId!);
    expect(kase).toMatchObject({ type: 'dispute', status: 'new' });
    const row = await db.selectFrom('disputes').select(['case_id', 'status']).where('id', '=', later.disputeId).executeTakeFirstOrThrow();
    expect(row).toEqual({ case_id: later.caseId, status: 'under_review' });
  });
});
