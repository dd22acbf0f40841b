import { beforeAll, describe, expect, it } from 'vitest';
import { createAgent, createWorkspace } from '../../../test/factories.js';
import { getTestApp, getTestContext } from '../../../test/harness.js';
import { listMoneyActionsOfCase } from './service.js';
import type { MoneyActionView } from './views.js';
import {
  addAccount,
  addInvoice,
  addPayment,
  caseEventsOf,
  errorCode,
  moneyWorld,
  newCase,
  newCustomer,
  paymentRow,
  postMoneyAction,
  refundsOf,
  requestAction,
} from './test-support.js';

beforeAll(async () => {
  await getTestApp();
});

async function actionCount(workspaceId: string): Promise<number> {
  const { db } = await getTestContext();
  const row = await db
    .selectFrom('billing_money_actions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('refunds from a case', () => {
  it('the same Idempotency-Key returns the first result: one action, one refund', async () => {
    const w = await moneyWorld();
    const paymentId = await addPayment(w.workspace, w.accountId, 10000);
    const body = { kind: 'refund', amount_minor: 2500, currency: 'EUR', payment_id: paymentId };
    const first = await postMoneyAction(w.agent, w.caseId, body, 'refund-key-1');
    const second = await postMoneyAction(w.agent, w.caseId, body, 'refund-key-1');
    expect(first.statusCode, first.body).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    expect(await actionCount(w.workspace.id)).toBe(1);
    expect(await refundsOf(paymentId)).toHaveLength(1);
    expect((await paymentRow(paymentId)).refunded_minor).toBe(2500);

    const reused = await postMoneyAction(w.agent, w.caseId, { ...body, amount_minor: 2600 }, 'refund-key-1');
    expect(reused.statusCode).toBe(422);
    expect(errorCode(reused)).toBe('idempotency.key_reused');
    expect(await actionCount(w.workspace.id)).toBe(1);
  });

  it('two refunds racing for one payment: exactly one succeeds, refunded never exceeds the amount', async () => {
    const w = await moneyWorld();
    const paymentId = await addPayment(w.workspace, w.accountId, 5000);
    const body = { kind: 'refund', amount_minor: 3000, currency: 'EUR', payment_id: paymentId };
    const results = await Promise.all([
      postMoneyAction(w.agent, w.caseId, body, 'race-a'),
      postMoneyAction(w.otherAgent, w.caseId, body, 'race-b'),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 422]);
    const refused = results.find((r) => r.statusCode === 422)!;
    expect(errorCode(refused)).toBe('billing.refund_exceeds_payment');
    const payment = await paymentRow(paymentId);
    expect(payment.refunded_minor).toBe(3000);
    expect(payment.refunded_minor).toBeLessThanOrEqual(payment.amount_minor);
    expect((await refundsOf(paymentId)).map((r) => r.status)).toEqual(['succeeded']);
    expect(await actionCount(w.workspace.id)).toBe(1);
  });

  it('refuses a refund above what is left, in another currency, of a failed payment, or of another customer', async () => {
    const w = await moneyWorld();
    const paymentId = await addPayment(w.workspace, w.accountId, 5000);
    await requestAction(w.agent, w.caseId, { kind: 'refund', amount_minor: 4000, currency: 'EUR', payment_id: paymentId });

    const over = await postMoneyAction(w.agent, w.caseId, { kind: 'refund', amount_minor: 1001, currency: 'EUR', payment_id: paymentId });
    expect(over.statusCode).toBe(422);
    expect(over.json()).toMatchObject({ error: { code: 'billing.refund_exceeds_payment', details: { refundable_minor: 1000 } } });

    const currency = await postMoneyAction(w.agent, w.caseId, {
      kind: 'refund',
      amount_minor: 100,
      currency: 'USD',
      payment_id: paymentId,
    });
    expect(currency.statusCode).toBe(422);
    expect(currency.json()).toMatchObject({ error: { code: 'billing.currency_mismatch', details: { expected: 'EUR', currency: 'USD' } } });

    const failed = await addPayment(w.workspace, w.accountId, 5000, 'EUR', { status: 'failed' });
    const notRefundable = await postMoneyAction(w.agent, w.caseId, {
      kind: 'refund',
      amount_minor: 100,
      currency: 'EUR',
      payment_id: failed,
    });
    expect(errorCode(notRefundable)).toBe('billing.payment_not_refundable');

    const stranger = await newCustomer(w.workspace, 'Someone Else');
    const strangerPayment = await addPayment(w.workspace, await addAccount(w.workspace, stranger, 'EUR'), 5000);
    const notTheirs = await postMoneyAction(w.agent, w.caseId, {
      kind: 'refund',
      amount_minor: 100,
      currency: 'EUR',
      payment_id: strangerPayment,
    });
    expect(notTheirs.statusCode).toBe(422);
    expect(errorCode(notTheirs)).toBe('billing.payment_not_of_customer');

    const other = await moneyWorld();
    const foreignPayment = await addPayment(other.workspace, other.accountId, 5000);
    const foreign = await postMoneyAction(w.agent, w.caseId, {
      kind: 'refund',
      amount_minor: 100,
      currency: 'EUR',
      payment_id: foreignPayment,
    });
    expect(foreign.statusCode).toBe(404);
    expect(errorCode(foreign)).toBe('billing.payment_not_found');
    const foreignCase = await postMoneyAction(w.agent, other.caseId, {
      kind: 'refund',
      amount_minor: 100,
      currency: 'EUR',
      payment_id: paymentId,
    });
    expect(foreignCase.statusCode).toBe(404);
    expect(errorCode(foreignCase)).toBe('case.not_found');

    expect(await actionCount(w.workspace.id)).toBe(1);
    expect((await paymentRow(paymentId)).refunded_minor).toBe(4000);
    expect((await paymentRow(foreignPayment)).refunded_minor).toBe(0);
  });

  it('counts zero-decimal currencies in their own minor units (JPY)', async () => {
    const w = await moneyWorld();
    const yenAccount = await addAccount(w.workspace, w.customerId, 'JPY');
    const paymentId = await addPayment(w.workspace, yenAccount, 12000, 'JPY');
    const small = await requestAction(w.agent, w.caseId, { kind: 'refund', amount_minor: 3000, currency: 'jpy', payment_id: paymentId });
    expect(small).toMatchObject({ status: 'completed', amount_minor: 3000, currency: 'JPY', account_id: yenAccount });
    // 6000 yen is above the agent's default limit of 5000 minor units.
    const big = await requestAction(w.agent, w.caseId, { kind: 'refund', amount_minor: 6000, currency: 'JPY', payment_id: paymentId });
    expect(big.status).toBe('pending_approval');
    expect((await paymentRow(paymentId)).refunded_minor).toBe(3000);
    const completed = (await caseEventsOf(w.caseId)).find((e) => e.type === 'money_action_completed')!;
    expect(completed.data).toMatchObject({ amount_minor: 3000, currency: 'JPY' });
  });

  it('validates the request at the edge: 400 for malformed input, nothing written', async () => {
    const w = await moneyWorld();
    const paymentId = await addPayment(w.workspace, w.accountId, 5000);
    const cases: [Record<string, unknown>, number, string][] = [
      [{ kind: 'refund', amount_minor: 0, currency: 'EUR', payment_id: paymentId }, 400, 'validation_failed'],
      [{ kind: 'refund', amount_minor: 10.5, currency: 'EUR', payment_id: paymentId }, 400, 'validation_failed'],
      [{ kind: 'refund', amount_minor: '100', currency: 'EUR', payment_id: paymentId }, 400, 'validation_failed'],
      [{ kind: 'refund', amount_minor: 100, currency: 'EURO', payment_id: paymentId }, 400, 'validation_failed'],
      [{ kind: 'refund', amount_minor: 100, currency: 'E1R', payment_id: paymentId }, 422, 'billing.invalid_currency'],
      [{ kind: 'refund', amount_minor: 100, currency: 'EUR', payment_id: paymentId, reason: '' }, 400, 'validation_failed'],
      [{ kind: 'refund', amount_minor: 100, currency: 'EUR', payment_id: paymentId, reason: '   ' }, 400, 'billing.invalid_reason'],
      [{ kind: 'refund', amount_minor: 100, currency: 'EUR', payment_id: paymentId, reason: 'x'.repeat(1001) }, 400, 'validation_failed'],
      [{ kind: 'refund', amount_minor: 100, currency: 'EUR' }, 400, 'billing.payment_required'],
      [{ kind: 'refund', amount_minor: 100, currency: 'EUR', payment_id: 'nope' }, 400, 'validation_failed'],
      [
        { kind: 'refund', amount_minor: 100, currency: 'EUR', payment_id: paymentId, invoice_id: paymentId },
        400,
        'billing.field_not_allowed',
      ],
      [{ kind: 'fee_waiver', amount_minor: 100, currency: 'EUR' }, 400, 'billing.invoice_required'],
      [{ kind: 'chargeback', amount_minor: 100, currency: 'EUR' }, 400, 'validation_failed'],
      [{ kind: 'credit', amount_minor: 100, currency: 'EUR', surprise: true }, 400, 'validation_failed'],
    ];
    for (const [body, status, code] of cases) {
      const res = await postMoneyAction(w.agent, w.caseId, body);
      expect([res.statusCode, errorCode(res)], JSON.stringify(body)).toEqual([status, code]);
    }
    expect(await actionCount(w.workspace.id)).toBe(0);
  });
});

describe('credits and fee waivers', () => {
  it('a credit raises the account credit balance (default account of the currency)', async () => {
    const w = await moneyWorld();
    const action = await requestAction(w.agent, w.caseId, {
      kind: 'credit',
      amount_minor: 1500,
      currency: 'EUR',
      reason: 'Sorry for the outage',
    });
    expect(action).toMatchObject({ kind: 'credit', status: 'completed', account_id: w.accountId, payment_id: null });
    const { db } = await getTestContext();
    const account = await db
      .selectFrom('billing_accounts')
      .select('credit_balance_minor')
      .where('id', '=', w.accountId)
      .executeTakeFirstOrThrow();
    expect(account.credit_balance_minor).toBe(1500);
    const credits = await db.selectFrom('billing_credits').selectAll().where('account_id', '=', w.accountId).execute();
    expect(credits).toMatchObject([
      { kind: 'credit', amount_minor: 1500, currency: 'EUR', money_action_id: action.id, reason: 'Sorry for the outage' },
    ]);
    const events = await db
      .selectFrom('domain_events')
      .select(['type', 'payload'])
      .where('workspace_id', '=', w.workspace.id)
      .where('type', 'like', 'billing.%')
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.type)).toEqual(['billing.money_action_requested', 'billing.credit_granted', 'billing.money_action_decided']);
    expect(events[1]!.payload).toMatchObject({ kind: 'credit', amount_minor: 1500, account_id: w.accountId, customer_id: w.customerId });

    const second = await addAccount(w.workspace, w.customerId, 'EUR', 'cus_second');
    const ambiguous = await postMoneyAction(w.agent, w.caseId, { kind: 'credit', amount_minor: 100, currency: 'EUR' });
    expect(errorCode(ambiguous)).toBe('billing.account_required');
    const named = await requestAction(w.agent, w.caseId, { kind: 'credit', amount_minor: 100, currency: 'EUR', account_id: second });
    expect(named.account_id).toBe(second);
    const noAccount = await postMoneyAction(w.agent, w.caseId, { kind: 'credit', amount_minor: 100, currency: 'GBP' });
    expect(errorCode(noAccount)).toBe('billing.no_account_in_currency');
    const stranger = await addAccount(w.workspace, await newCustomer(w.workspace), 'EUR');
    const notTheirs = await postMoneyAction(w.agent, w.caseId, {
      kind: 'credit',
      amount_minor: 100,
      currency: 'EUR',
      account_id: stranger,
    });
    expect(errorCode(notTheirs)).toBe('billing.account_not_of_customer');
  });

  it('a fee waiver lowers the amount due, up to the fees not yet waived', async () => {
    const w = await moneyWorld();
    const invoiceId = await addInvoice(w.workspace, w.accountId, {
      totalMinor: 2500,
      lines: [
        { description: 'Plan', quantity: 1, unitAmountMinor: 2000, amountMinor: 2000 },
        { description: 'Late fee', quantity: 1, unitAmountMinor: 500, amountMinor: 500, isFee: true },
      ],
    });
    const waiver = await requestAction(w.agent, w.caseId, {
      kind: 'fee_waiver',
      amount_minor: 300,
      currency: 'EUR',
      invoice_id: invoiceId,
    });
    expect(waiver).toMatchObject({ kind: 'fee_waiver', status: 'completed', invoice_id: invoiceId });
    const { db } = await getTestContext();
    const invoice = () =>
      db.selectFrom('billing_invoices').select(['amount_due_minor', 'status']).where('id', '=', invoiceId).executeTakeFirstOrThrow();
    expect(await invoice()).toEqual({ amount_due_minor: 2200, status: 'open' });
    const credits = await db.selectFrom('billing_credits').selectAll().where('invoice_id', '=', invoiceId).execute();
    expect(credits).toMatchObject([{ kind: 'fee_waiver', amount_minor: 300, money_action_id: waiver.id }]);

    const tooMuch = await postMoneyAction(w.agent, w.caseId, {
      kind: 'fee_waiver',
      amount_minor: 201,
      currency: 'EUR',
      invoice_id: invoiceId,
    });
    expect(tooMuch.statusCode).toBe(422);
    expect(tooMuch.json()).toMatchObject({ error: { code: 'billing.waiver_exceeds_fees', details: { waivable_minor: 200 } } });
    await requestAction(w.agent, w.caseId, { kind: 'fee_waiver', amount_minor: 200, currency: 'EUR', invoice_id: invoiceId });
    expect(await invoice()).toEqual({ amount_due_minor: 2000, status: 'open' });
  });

  it('a waiver of everything still due pays the invoice; more than is due is refused', async () => {
    const w = await moneyWorld();
    const invoiceId = await addInvoice(w.workspace, w.accountId, { totalMinor: 1000, amountPaidMinor: 700 });
    const over = await postMoneyAction(w.agent, w.caseId, {
      kind: 'fee_waiver',
      amount_minor: 301,
      currency: 'EUR',
      invoice_id: invoiceId,
    });
    expect(over.json()).toMatchObject({ error: { code: 'billing.waiver_exceeds_amount_due', details: { amount_due_minor: 300 } } });
    const mismatch = await postMoneyAction(w.agent, w.caseId, {
      kind: 'fee_waiver',
      amount_minor: 300,
      currency: 'USD',
      invoice_id: invoiceId,
    });
    expect(errorCode(mismatch)).toBe('billing.currency_mismatch');
    await requestAction(w.agent, w.caseId, { kind: 'fee_waiver', amount_minor: 300, currency: 'EUR', invoice_id: invoiceId });
    const { db } = await getTestContext();
    const invoice = await db
      .selectFrom('billing_invoices')
      .select(['amount_due_minor', 'status', 'paid_at'])
      .where('id', '=', invoiceId)
      .executeTakeFirstOrThrow();
    expect(invoice).toMatchObject({ amount_due_minor: 0, status: 'paid' });
    expect(invoice.paid_at).toBeInstanceOf(Date);
  });
});

describe('history and views', () => {
  it('every step is on the case history, the customer timeline and the audit log', async () => {
    const w = await moneyWorld();
    const paymentId = await addPayment(w.workspace, w.accountId, 20000);
    const small = await requestAction(w.agent, w.caseId, { kind: 'refund', amount_minor: 1000, currency: 'EUR', payment_id: paymentId });
    const big = await requestAction(w.agent, w.caseId, { kind: 'refund', amount_minor: 9000, currency: 'EUR', payment_id: paymentId });
    await w.app.inject({ method: 'POST', url: `/api/v1/money-actions/${big.id}/approve`, headers: w.supervisor.headers, payload: {} });

    const history = await w.app.inject({ method: 'GET', url: `/api/v1/cases/${w.caseId}/events`, headers: w.agent.headers });
    const events = history.json<{ data: { type: string; actor: { id: string } | null; data: Record<string, unknown> }[] }>().data;
    const money = events.filter((e) => e.type.startsWith('money_action_'));
    expect(money.map((e) => [e.type, e.data.money_action_id, e.actor?.id])).toEqual([
      ['money_action_requested', small.id, w.agent.id],
      ['money_action_completed', small.id, w.agent.id],
      ['money_action_requested', big.id, w.agent.id],
      ['money_action_approved', big.id, w.supervisor.id],
      ['money_action_completed', big.id, w.supervisor.id],
    ]);
    expect(money[0]!.data).toMatchObject({
      kind: 'refund',
      amount_minor: 1000,
      currency: 'EUR',
      reason: 'Charged twice for the same order',
      payment_id: paymentId,
      needs_approval: false,
    });
    expect(money[2]!.data).toMatchObject({ needs_approval: true, requester_limit_minor: 5000 });
    expect(money[4]!.data).toMatchObject({ refund_status: 'succeeded', refund_id: expect.any(String) });

    const timeline = await w.app.inject({
      method: 'GET',
      url: `/api/v1/customers/${w.customerId}/timeline?limit=100`,
      headers: w.agent.headers,
    });
    const timelineTypes = timeline.json<{ data: { event?: { type: string } }[] }>().data.map((i) => i.event?.type);
    expect(timelineTypes.filter((t) => t?.startsWith('money_action_'))).toHaveLength(5);

    const { db } = await getTestContext();
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'target_id'])
      .where('workspace_id', '=', w.workspace.id)
      .where('target_type', '=', 'money_action')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'billing.money_action_requested',
      'billing.money_action_completed',
      'billing.money_action_requested',
      'billing.money_action_approved',
      'billing.money_action_completed',
    ]);
  });

  it('lists the money actions of a case, newest first, with names', async () => {
    const w = await moneyWorld();
    const paymentId = await addPayment(w.workspace, w.accountId, 20000);
    const a = await requestAction(w.agent, w.caseId, { kind: 'refund', amount_minor: 1000, currency: 'EUR', payment_id: paymentId });
    const b = await requestAction(w.otherAgent, w.caseId, { kind: 'credit', amount_minor: 6000, currency: 'EUR' });
    await w.app.inject({ method: 'POST', url: `/api/v1/money-actions/${b.id}/reject`, headers: w.admin.headers, payload: { note: 'No' } });
    const otherCase = await newCase(w.agent, w.customerId);
    await requestAction(w.agent, otherCase, { kind: 'credit', amount_minor: 100, currency: 'EUR' });

    const res = await w.app.inject({ method: 'GET', url: `/api/v1/cases/${w.caseId}/money-actions`, headers: w.agent.headers });
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json<{ data: MoneyActionView[]; next_cursor: string | null }>();
    expect(page.data.map((x) => x.id)).toEqual([b.id, a.id]);
    expect(page.data[0]).toMatchObject({
      status: 'rejected',
      requested_by: { id: w.otherAgent.id, name: 'Olly Agent' },
      decided_by: { id: w.admin.id, name: 'Ada Admin' },
      decision_note: 'No',
    });
    const first = await w.app.inject({ method: 'GET', url: `/api/v1/cases/${w.caseId}/money-actions?limit=1`, headers: w.agent.headers });
    const next = first.json<{ next_cursor: string }>().next_cursor;
    const second = await w.app.inject({
      method: 'GET',
      url: `/api/v1/cases/${w.caseId}/money-actions?limit=1&cursor=${next}`,
      headers: w.agent.headers,
    });
    expect(second.json<{ data: MoneyActionView[]; next_cursor: string | null }>()).toMatchObject({
      data: [{ id: a.id }],
      next_cursor: null,
    });

    const { db } = await getTestContext();
    expect((await listMoneyActionsOfCase(db, w.supervisor.actor, w.caseId)).map((x) => x.id)).toEqual([b.id, a.id]);
    const outsider = await createAgent(await createWorkspace(), { role: 'admin' });
    const foreign = await w.app.inject({ method: 'GET', url: `/api/v1/cases/${w.caseId}/money-actions`, headers: outsider.headers });
    expect(foreign.statusCode).toBe(404);
  });
});
