import { beforeAll, describe, expect, it } from 'vitest';
import { getTestApp, getTestContext } from '../../../test/harness.js';
import type { MoneyActionView } from './views.js';
import {
  addAccount,
  addPayment,
  decide,
  errorCode,
  moneyActionEventTypes,
  moneyWorld,
  paymentRow,
  refundsOf,
  requestAction,
} from './test-support.js';

beforeAll(async () => {
  await getTestApp();
});

describe('approval limits', () => {
  it('an agent refunds 40.00 at once; 80.00 waits for approval and moves no money', async () => {
    const w = await moneyWorld();
    const paymentId = await addPayment(w.workspace, w.accountId, 20000);

    const small = await requestAction(w.agent, w.caseId, { kind: 'refund', amount_minor: 4000, currency: 'EUR', payment_id: paymentId });
    expect(small).toMatchObject({
      kind: 'refund',
      status: 'completed',
      amount_minor: 4000,
      currency: 'EUR',
      case_id: w.caseId,
      customer_id: w.customerId,
      account_id: w.accountId,
      payment_id: paymentId,
      invoice_id: null,
      requested_by: { id: w.agent.id, name: 'Avery Agent' },
      decided_by: null,
      failure_message: null,
    });
    expect((await paymentRow(paymentId)).refunded_minor).toBe(4000);

    const big = await requestAction(w.agent, w.caseId, { kind: 'refund', amount_minor: 8000, currency: 'EUR', payment_id: paymentId });
    expect(big.status).toBe('pending_approval');
    expect((await paymentRow(paymentId)).refunded_minor).toBe(4000);
    expect((await refundsOf(paymentId)).map((r) => [r.amount_minor, r.status])).toEqual([[4000, 'succeeded']]);
    expect(await moneyActionEventTypes(w.caseId)).toEqual(['money_action_requested', 'money_action_completed', 'money_action_requested']);
  });

  it('the requester cannot approve; a supervisor approves once; a second decision is 409', async () => {
    const w = await moneyWorld();
    const paymentId = await addPayment(w.workspace, w.accountId, 20000);
    const big = await requestAction(w.agent, w.caseId, { kind: 'refund', amount_minor: 8000, currency: 'EUR', payment_id: paymentId });

    // An agent has no billing.approve at all; a supervisor asking for their own action is refused by rule.
    const byAgent = await decide(w.otherAgent, big.id, 'approve');
    expect(byAgent.statusCode).toBe(403);
    expect(errorCode(byAgent)).toBe('auth.forbidden');
    const ownSupervisorAction = await requestAction(w.supervisor, w.caseId, {
      kind: 'refund',
      amount_minor: 60000,
      currency: 'EUR',
      payment_id: await addPayment(w.workspace, w.accountId, 70000),
    });
    expect(ownSupervisorAction.status).toBe('pending_approval');
    const self = await decide(w.supervisor, ownSupervisorAction.id, 'approve');
    expect(self.statusCode).toBe(403);
    expect(errorCode(self)).toBe('billing.self_approval');

    const approved = await decide(w.supervisor, big.id, 'approve', 'Customer was charged twice');
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json<MoneyActionView>()).toMatchObject({
      status: 'completed',
      decided_by: { id: w.supervisor.id, name: 'Sam Supervisor' },
      decision_note: 'Customer was charged twice',
    });
    expect(approved.json<MoneyActionView>().decided_at).toEqual(expect.any(String));
    expect((await paymentRow(paymentId)).refunded_minor).toBe(8000);

    const again = await decide(w.admin, big.id, 'approve');
    expect(again.statusCode).toBe(409);
    expect(errorCode(again)).toBe('billing.already_decided');
    const rejectLate = await decide(w.admin, big.id, 'reject');
    expect(rejectLate.statusCode).toBe(409);
    expect((await refundsOf(paymentId)).length).toBe(1);
    expect(await moneyActionEventTypes(w.caseId)).toEqual([
      'money_action_requested',
      'money_action_requested',
      'money_action_approved',
      'money_action_completed',
    ]);
  });

  it('a supervisor cannot approve 600.00 (above their own limit) but an admin can', async () => {
    const w = await moneyWorld();
    const paymentId = await addPayment(w.workspace, w.accountId, 100000);
    const action = await requestAction(w.agent, w.caseId, { kind: 'refund', amount_minor: 60000, currency: 'EUR', payment_id: paymentId });
    expect(action.status).toBe('pending_approval');
    const bySupervisor = await decide(w.supervisor, action.id, 'approve');
    expect(bySupervisor.statusCode).toBe(403);
    expect(errorCode(bySupervisor)).toBe('billing.approval_limit_exceeded');
    expect((await paymentRow(paymentId)).refunded_minor).toBe(0);
    const byAdmin = await decide(w.admin, action.id, 'approve');
    expect(byAdmin.statusCode, byAdmin.body).toBe(200);
    expect(byAdmin.json<MoneyActionView>().status).toBe('completed');
    expect((await paymentRow(paymentId)).refunded_minor).toBe(60000);
  });

  it('a rejection keeps the money where it is and records the note', async () => {
    const w = await moneyWorld();
    const paymentId = await addPayment(w.workspace, w.accountId, 20000);
    const action = await requestAction(w.agent, w.caseId, { kind: 'refund', amount_minor: 9000, currency: 'EUR', payment_id: paymentId });
    const empty = await w.app.inject({ method: 'POST', url: `/api/v1/money-actions/${action.id}/reject`, headers: w.supervisor.headers });
    expect([empty.statusCode, empty.body]).toEqual([400, expect.any(String)]);
    const tooLong = await decide(w.supervisor, action.id, 'reject', 'x'.repeat(1001));
    expect(tooLong.statusCode).toBe(400);
    const res = await decide(w.supervisor, action.id, 'reject', 'Outside the refund window');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<MoneyActionView>()).toMatchObject({ status: 'rejected', decision_note: 'Outside the refund window' });
    expect((await paymentRow(paymentId)).refunded_minor).toBe(0);
    expect(await refundsOf(paymentId)).toEqual([]);
    const { db } = await getTestContext();
    const rejected = await db
      .selectFrom('case_events')
      .select(['data', 'actor_id'])
      .where('case_id', '=', w.caseId)
      .where('type', '=', 'money_action_rejected')
      .executeTakeFirstOrThrow();
    expect(rejected.actor_id).toBe(w.supervisor.id);
    expect(rejected.data).toMatchObject({ money_action_id: action.id, decision_note: 'Outside the refund window', amount_minor: 9000 });
  });

  it('two approvers racing decide once: one 200, one 409, one refund', async () => {
    const w = await moneyWorld();
    const paymentId = await addPayment(w.workspace, w.accountId, 20000);
    const action = await requestAction(w.agent, w.caseId, { kind: 'refund', amount_minor: 9000, currency: 'EUR', payment_id: paymentId });
    const results = await Promise.all([decide(w.supervisor, action.id, 'approve'), decide(w.admin, action.id, 'approve')]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    expect((await paymentRow(paymentId)).refunded_minor).toBe(9000);
    expect((await refundsOf(paymentId)).length).toBe(1);
  });

  it('approving re-checks the payment: a refund that no longer fits is 422 and stays pending', async () => {
    const w = await moneyWorld();
    const paymentId = await addPayment(w.workspace, w.accountId, 10000);
    const action = await requestAction(w.agent, w.caseId, { kind: 'refund', amount_minor: 8000, currency: 'EUR', payment_id: paymentId });
    await requestAction(w.supervisor, w.caseId, { kind: 'refund', amount_minor: 5000, currency: 'EUR', payment_id: paymentId });
    const res = await decide(w.admin, action.id, 'approve');
    expect(res.statusCode).toBe(422);
    expect(errorCode(res)).toBe('billing.refund_exceeds_payment');
    const { db } = await getTestContext();
    const row = await db.selectFrom('billing_money_actions').select('status').where('id', '=', action.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('pending_approval');
    expect((await paymentRow(paymentId)).refunded_minor).toBe(5000);
  });

  it('an unknown or foreign money action is 404 for approvers', async () => {
    const w = await moneyWorld();
    const other = await moneyWorld();
    const paymentId = await addPayment(other.workspace, other.accountId, 20000);
    const foreign = await requestAction(other.agent, other.caseId, {
      kind: 'refund',
      amount_minor: 9000,
      currency: 'EUR',
      payment_id: paymentId,
    });
    const res = await decide(w.admin, foreign.id, 'approve');
    expect(res.statusCode).toBe(404);
    expect(errorCode(res)).toBe('billing.money_action_not_found');
    const missing = await decide(w.admin, '00000000-0000-4000-8000-000000000000', 'reject');
    expect(missing.statusCode).toBe(404);
  });
});

describe('approval queue', () => {
  it('lists pending actions oldest first with a cursor, for approvers only', async () => {
    const w = await moneyWorld();
    const paymentId = await addPayment(w.workspace, w.accountId, 100000);
    const first = await requestAction(w.agent, w.caseId, { kind: 'refund', amount_minor: 6000, currency: 'EUR', payment_id: paymentId });
    const second = await requestAction(w.agent, w.caseId, { kind: 'refund', amount_minor: 7000, currency: 'EUR', payment_id: paymentId });
    await requestAction(w.agent, w.caseId, { kind: 'refund', amount_minor: 100, currency: 'EUR', payment_id: paymentId });
    const third = await requestAction(w.otherAgent, w.caseId, { kind: 'credit', amount_minor: 9000, currency: 'EUR' });

    const page1 = await w.app.inject({
      method: 'GET',
      url: '/api/v1/money-actions?status=pending_approval&limit=2',
      headers: w.supervisor.headers,
    });
    expect(page1.statusCode, page1.body).toBe(200);
    const body1 = page1.json<{ data: MoneyActionView[]; next_cursor: string | null }>();
    expect(body1.data.map((a) => a.id)).toEqual([first.id, second.id]);
    expect(body1.next_cursor).toEqual(expect.any(String));
    const page2 = await w.app.inject({
      method: 'GET',
      url: `/api/v1/money-actions?limit=2&cursor=${body1.next_cursor}`,
      headers: w.supervisor.headers,
    });
    const body2 = page2.json<{ data: MoneyActionView[]; next_cursor: string | null }>();
    expect(body2.data.map((a) => a.id)).toEqual([third.id]);
    expect(body2.data[0]!.requested_by).toEqual({ id: w.otherAgent.id, name: 'Olly Agent' });
    expect(body2.next_cursor).toBeNull();

    const completed = await w.app.inject({ method: 'GET', url: '/api/v1/money-actions?status=completed', headers: w.admin.headers });
    expect(completed.json<{ data: MoneyActionView[] }>().data.map((a) => a.amount_minor)).toEqual([100]);

    const byAgent = await w.app.inject({ method: 'GET', url: '/api/v1/money-actions', headers: w.agent.headers });
    expect(byAgent.statusCode).toBe(403);
    const badCursor = await w.app.inject({ method: 'GET', url: '/api/v1/money-actions?cursor=nope!', headers: w.admin.headers });
    expect(badCursor.statusCode).toBe(400);
    expect(errorCode(badCursor)).toBe('pagination.invalid_cursor');
    const badStatus = await w.app.inject({ method: 'GET', url: '/api/v1/money-actions?status=lost', headers: w.admin.headers });
    expect(badStatus.statusCode).toBe(400);
  });
});

describe('approval limits API', () => {
  it('per-currency limits set by an admin apply to requests and approvals, and are audited', async () => {
    const w = await moneyWorld();
    const usdAccount = await addAccount(w.workspace, w.customerId, 'USD');
    const usdPayment = await addPayment(w.workspace, usdAccount, 50000, 'USD');
    const eurPayment = await addPayment(w.workspace, w.accountId, 50000, 'EUR');

    const initial = await w.app.inject({ method: 'GET', url: '/api/v1/billing/approval-limits', headers: w.admin.headers });
    expect(initial.statusCode).toBe(200);
    expect(initial.json()).toEqual({
      limits: [],
      defaults: [
        { role: 'agent', max_minor: 5000 },
        { role: 'supervisor', max_minor: 50000 },
        { role: 'admin', max_minor: 500000 },
      ],
    });

    const put = await w.app.inject({
      method: 'PUT',
      url: '/api/v1/billing/approval-limits',
      headers: w.admin.headers,
      payload: {
        limits: [
          { role: 'agent', currency: 'usd', max_minor: 10000 },
          { role: 'supervisor', currency: 'USD', max_minor: 1000 },
        ],
      },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json<{ limits: unknown[] }>().limits).toEqual([
      { role: 'agent', currency: 'USD', max_minor: 10000 },
      { role: 'supervisor', currency: 'USD', max_minor: 1000 },
    ]);

    // 80.00 USD is within the agent's USD limit; 80.00 EUR still needs approval (default).
    const usd = await requestAction(w.agent, w.caseId, { kind: 'refund', amount_minor: 8000, currency: 'USD', payment_id: usdPayment });
    expect(usd.status).toBe('completed');
    const eur = await requestAction(w.agent, w.caseId, { kind: 'refund', amount_minor: 8000, currency: 'EUR', payment_id: eurPayment });
    expect(eur.status).toBe('pending_approval');
    // The supervisor's USD limit (10.00) is below 20.00 USD: only the admin approves it.
    const usd2 = await requestAction(w.agent, w.caseId, { kind: 'refund', amount_minor: 20000, currency: 'USD', payment_id: usdPayment });
    expect(usd2.status).toBe('pending_approval');
    expect(errorCode(await decide(w.supervisor, usd2.id, 'approve'))).toBe('billing.approval_limit_exceeded');
    expect((await decide(w.supervisor, eur.id, 'approve')).statusCode).toBe(200);

    const { db } = await getTestContext();
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'actor_id', 'details'])
      .where('workspace_id', '=', w.workspace.id)
      .where('action', '=', 'billing.approval_limits_updated')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_id).toBe(w.admin.id);
    expect(audit[0]!.details).toMatchObject({
      before: [],
      after: [{ role: 'agent', currency: 'USD', max_minor: 10000 }, expect.anything()],
    });

    const cleared = await w.app.inject({
      method: 'PUT',
      url: '/api/v1/billing/approval-limits',
      headers: w.admin.headers,
      payload: { limits: [] },
    });
    expect(cleared.json<{ limits: unknown[] }>().limits).toEqual([]);
  });

  it('refuses non-admins, duplicates and bad values', async () => {
    const w = await moneyWorld();
    const put = (headers: Record<string, string>, limits: unknown) =>
      w.app.inject({ method: 'PUT', url: '/api/v1/billing/approval-limits', headers, payload: { limits } });
    expect((await put(w.supervisor.headers, [])).statusCode).toBe(403);
    expect((await w.app.inject({ method: 'GET', url: '/api/v1/billing/approval-limits', headers: w.supervisor.headers })).statusCode).toBe(
      403,
    );
    const dup = await put(w.admin.headers, [
      { role: 'agent', currency: 'EUR', max_minor: 1 },
      { role: 'agent', currency: 'eur', max_minor: 2 },
    ]);
    expect(dup.statusCode).toBe(422);
    expect(errorCode(dup)).toBe('billing.duplicate_limit');
    const badCurrency = await put(w.admin.headers, [{ role: 'agent', currency: 'E1R', max_minor: 1 }]);
    expect(badCurrency.statusCode).toBe(422);
    expect(errorCode(badCurrency)).toBe('billing.invalid_currency');
    expect((await put(w.admin.headers, [{ role: 'agent', currency: 'EUR', max_minor: -1 }])).statusCode).toBe(400);
    expect((await put(w.admin.headers, [{ role: 'agent', currency: 'EUR', max_minor: 1.5 }])).statusCode).toBe(400);
    expect((await put(w.admin.headers, [{ role: 'owner', currency: 'EUR', max_minor: 1 }])).statusCode).toBe(400);
    const { db } = await getTestContext();
    const rows = await db.selectFrom('billing_approval_limits').selectAll().where('workspace_id', '=', w.workspace.id).execute();
    expect(rows).toEqual([]);
  });
});
