import { beforeAll, describe, expect, it } from 'vitest';
import { OutboxRelay } from '../../../platform/outbox-relay.js';
import type { DomainEvent } from '../../../platform/outbox.js';
import { createAgent, createWorkspace, type TestAgent } from '../../../test/factories.js';
import { getTestApp, getTestContext } from '../../../test/harness.js';
import { DAY, processorInput, recordViaWebhook } from '../../disputes/test-support.js';
import { addAccount, addPayment, newCase, newCustomer, requestAction } from '../money-actions/test-support.js';
import type { BillingStateView } from '../service.js';
import { billingCustomerMergeListener } from './index.js';

beforeAll(async () => {
  await getTestApp();
});

/** Relays the pending domain events to the billing merge listener (as the app's relay does). */
async function relay(): Promise<void> {
  const ctx = await getTestContext();
  await new OutboxRelay(ctx.database, [billingCustomerMergeListener()], ctx.logger).drain();
}

async function billingOf(agent: TestAgent, customerId: string): Promise<BillingStateView> {
  const app = await getTestApp();
  const res = await app.inject({ method: 'GET', url: `/api/v1/customers/${customerId}/billing`, headers: agent.headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<BillingStateView>();
}

async function merge(agent: TestAgent, targetId: string, sourceId: string): Promise<string> {
  const app = await getTestApp();
  const res = await app.inject({
    method: 'POST',
    url: `/api/v1/customers/${targetId}/merge`,
    headers: agent.headers,
    payload: { source_customer_id: sourceId },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

async function undo(agent: TestAgent, mergeId: string): Promise<void> {
  const app = await getTestApp();
  const res = await app.inject({ method: 'POST', url: `/api/v1/customer-merges/${mergeId}/undo`, headers: agent.headers });
  expect(res.statusCode, res.body).toBe(200);
}

async function ownersOf(table: 'billing_accounts' | 'billing_money_actions' | 'disputes', ids: string[]) {
  const { db } = await getTestContext();
  const rows = await db.selectFrom(table).select(['id', 'customer_id']).where('id', 'in', ids).execute();
  return Object.fromEntries(rows.map((r) => [r.id, r.customer_id]));
}

/** Two customers of one workspace; the source has billing accounts, a money action and a dispute. */
async function mergeWorld() {
  const workspace = await createWorkspace();
  const agent = await createAgent(workspace, { name: 'Avery Agent' });
  const supervisor = await createAgent(workspace, { role: 'supervisor', name: 'Sam Supervisor' });
  const targetId = await newCustomer(workspace, 'Terry Target');
  const sourceId = await newCustomer(workspace, 'Sid Source');
  const targetAccount = await addAccount(workspace, targetId, 'EUR');
  const sourceLedger = await addAccount(workspace, sourceId, 'EUR');
  const sourceStripe = await addAccount(workspace, sourceId, 'USD', `cus_${sourceId.slice(0, 8)}`);
  const sourcePayment = await addPayment(workspace, sourceLedger, 9000, 'EUR');
  const sourceCase = await newCase(agent, sourceId);
  // Above the agent's limit: it waits for approval, and must still be approvable after the merge.
  const action = await requestAction(agent, sourceCase, { kind: 'refund', amount_minor: 8000, currency: 'EUR', payment_id: sourcePayment });
  expect(action.status).toBe('pending_approval');
  const dispute = await recordViaWebhook(
    workspace,
    processorInput({ customerId: sourceId, accountId: sourceStripe, evidenceDueAt: new Date(Date.now() + 5 * DAY) }),
  );
  return { workspace, agent, supervisor, targetId, sourceId, targetAccount, sourceLedger, sourceStripe, sourcePayment, action, dispute };
}

describe('billing follows a customer merge', () => {
  it('moves the source customer’s accounts, money actions and disputes to the target, and the undo moves exactly them back', async () => {
    const app = await getTestApp();
    const w = await mergeWorld();
    await relay();

    const mergeId = await merge(w.supervisor, w.targetId, w.sourceId);
    await relay();

    const merged = await billingOf(w.agent, w.targetId);
    expect(merged.accounts.map((a) => a.id).sort()).toEqual([w.targetAccount, w.sourceLedger, w.sourceStripe].sort());
    expect(merged.payments.map((p) => p.id)).toEqual([w.sourcePayment]);
    expect(merged.summary.open_disputes).toBe(1);
    const emptied = await billingOf(w.agent, w.sourceId);
    expect(emptied.accounts).toEqual([]);
    expect(emptied.summary.open_disputes).toBe(0);
    expect(await ownersOf('billing_money_actions', [w.action.id])).toEqual({ [w.action.id]: w.targetId });
    expect(await ownersOf('disputes', [w.dispute.disputeId])).toEqual({ [w.dispute.disputeId]: w.targetId });

    const { db } = await getTestContext();
    const record = await db
      .selectFrom('billing_customer_merge_moves')
      .selectAll()
      .where('merge_id', '=', mergeId)
      .executeTakeFirstOrThrow();
    expect(record).toMatchObject({
      workspace_id: w.workspace.id,
      source_customer_id: w.sourceId,
      target_customer_id: w.targetId,
      money_action_ids: [w.action.id],
      dispute_ids: [w.dispute.disputeId],
      undone_at: null,
    });
    expect([...record.account_ids].sort()).toEqual([w.sourceLedger, w.sourceStripe].sort());
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'target_id'])
      .where('workspace_id', '=', w.workspace.id)
      .where('action', 'like', 'billing.customer_merge%')
      .execute();
    expect(audit).toEqual([{ action: 'billing.customer_merge_followed', target_id: w.targetId }]);

    // The money action of the merged customer is approvable: its payment is the customer's now.
    const approved = await app.inject({
      method: 'POST',
      url: `/api/v1/money-actions/${w.action.id}/approve`,
      headers: w.supervisor.headers,
      payload: {},
    });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'completed', customer_id: w.targetId });

    // A replayed event finds its record and moves nothing.
    await db
      .updateTable('domain_events')
      .set({ published_at: null })
      .where('type', '=', 'customer.merged')
      .where('workspace_id', '=', w.workspace.id)
      .execute();
    await relay();
    expect((await billingOf(w.agent, w.targetId)).accounts).toHaveLength(3);

    // A new account of the target after the merge stays with the target on undo.
    const laterAccount = await addAccount(w.workspace, w.targetId, 'GBP');
    await undo(w.supervisor, mergeId);
    await relay();

    const target = await billingOf(w.agent, w.targetId);
    expect(target.accounts.map((a) => a.id).sort()).toEqual([w.targetAccount, laterAccount].sort());
    expect(target.summary.open_disputes).toBe(0);
    const source = await billingOf(w.agent, w.sourceId);
    expect(source.accounts.map((a) => a.id).sort()).toEqual([w.sourceLedger, w.sourceStripe].sort());
    expect(source.payments.map((p) => [p.id, p.refunded_minor])).toEqual([[w.sourcePayment, 8000]]);
    expect(source.summary.open_disputes).toBe(1);
    expect(await ownersOf('billing_money_actions', [w.action.id])).toEqual({ [w.action.id]: w.sourceId });
    expect(await ownersOf('disputes', [w.dispute.disputeId])).toEqual({ [w.dispute.disputeId]: w.sourceId });
    const undone = await db
      .selectFrom('billing_customer_merge_moves')
      .select('undone_at')
      .where('merge_id', '=', mergeId)
      .executeTakeFirstOrThrow();
    expect(undone.undone_at).toBeInstanceOf(Date);

    // A replayed undo changes nothing either.
    await db
      .updateTable('domain_events')
      .set({ published_at: null })
      .where('type', '=', 'customer.merge_undone')
      .where('workspace_id', '=', w.workspace.id)
      .execute();
    await relay();
    expect((await billingOf(w.agent, w.sourceId)).accounts).toHaveLength(2);
    expect((await billingOf(w.agent, w.targetId)).accounts).toHaveLength(2);
  });

  it('an undo leaves a moved account alone that went on to a third customer', async () => {
    const w = await mergeWorld();
    const mergeId = await merge(w.supervisor, w.targetId, w.sourceId);
    await relay();
    const third = await newCustomer(w.workspace, 'Tia Third');
    const { db } = await getTestContext();
    await db.updateTable('billing_accounts').set({ customer_id: third }).where('id', '=', w.sourceStripe).execute();
    await undo(w.supervisor, mergeId);
    await relay();
    expect(await ownersOf('billing_accounts', [w.sourceLedger, w.sourceStripe, w.targetAccount])).toEqual({
      [w.sourceLedger]: w.sourceId,
      [w.sourceStripe]: third,
      [w.targetAccount]: w.targetId,
    });
  });

  it('an undo relayed before its merge (two relays) leaves everything where it is', async () => {
    const w = await mergeWorld();
    const { db } = await getTestContext();
    const payload = { merge_id: '', source_customer_id: w.sourceId, target_customer_id: w.targetId };
    // A merge record of the customers module (the listener's row references it).
    const mergeRow = await db
      .insertInto('customer_merges')
      .values({
        workspace_id: w.workspace.id,
        source_customer_id: w.sourceId,
        target_customer_id: w.targetId,
        moved: JSON.stringify({ identity_ids: [], case_ids: [], tags_added: [], primary_identity_ids: [] }),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    payload.merge_id = mergeRow.id;
    const event = (type: string): DomainEvent => ({
      id: 0,
      workspaceId: w.workspace.id,
      type,
      aggregateType: 'customer',
      aggregateId: w.targetId,
      payload,
      actorType: 'system',
      actorId: null,
      occurredAt: new Date(),
    });
    const listener = billingCustomerMergeListener();
    await db.transaction().execute(async (tx) => {
      await listener.handle(event('customer.merge_undone'), tx);
      await listener.handle(event('customer.merged'), tx);
    });
    expect(await ownersOf('billing_accounts', [w.sourceLedger, w.sourceStripe])).toEqual({
      [w.sourceLedger]: w.sourceId,
      [w.sourceStripe]: w.sourceId,
    });
    expect(await ownersOf('disputes', [w.dispute.disputeId])).toEqual({ [w.dispute.disputeId]: w.sourceId });
  });
});
