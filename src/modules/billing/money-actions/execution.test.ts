import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getTestApp, getTestContext } from '../../../test/harness.js';
import { unprocessable } from '../../../platform/errors.js';
import type { BillingConnector, ProcessorCreditRequest, ProcessorRefundRequest } from '../connectors/connector.js';
import { inTransaction } from '../../../db/database.js';
import { AppError } from '../../../platform/errors.js';
import { useConnectorSourceForTests } from './connector-source.js';
import { startMoneyAction } from './execute.js';
import { insertMoneyAction } from './store.js';
import {
  addAccount,
  addInvoice,
  addPayment,
  caseEventsOf,
  decide,
  errorCode,
  moneyWorld,
  paymentRow,
  postMoneyAction,
  refundsOf,
  requestAction,
  runMoneyActionJobs,
} from './test-support.js';

beforeAll(async () => {
  await getTestApp();
});

let restore: (() => void) | undefined;
afterEach(() => {
  restore?.();
  restore = undefined;
});

/**
 * A processor that calls out (as Stripe does): remembers what it did per idempotency key and
 * answers a repeated key with the first result, like Stripe. `crashAfterNext` makes the next
 * call do the work and then lose the answer (a timeout, a worker killed mid-call).
 */
function fakeProcessor() {
  const byKey = new Map<string, { externalId: string }>();
  const calls: { kind: 'refund' | 'credit'; request: ProcessorRefundRequest | ProcessorCreditRequest }[] = [];
  const state = { crashAfterNext: false, refuseNext: false };
  const perform = (kind: 'refund' | 'credit', request: ProcessorRefundRequest | ProcessorCreditRequest) => {
    calls.push({ kind, request });
    if (state.refuseNext) {
      state.refuseNext = false;
      throw unprocessable('billing.processor_declined', 'Stripe refused to refund the payment: charge already refunded', {
        retryable: false,
      });
    }
    let result = byKey.get(request.idempotencyKey);
    if (!result) {
      result = { externalId: `${kind === 'refund' ? 're' : 'cbtxn'}_${byKey.size + 1}` };
      byKey.set(request.idempotencyKey, result);
    }
    if (state.crashAfterNext) {
      state.crashAfterNext = false;
      throw new Error('socket hang up');
    }
    return result;
  };
  const connector: BillingConnector = {
    name: 'stripe',
    async createRefund(request) {
      return { ...perform('refund', request), status: 'succeeded' };
    },
    async grantCredit(request) {
      return perform('credit', request);
    },
    async submitDisputeEvidence() {
      return { response: {} };
    },
  };
  return { connector, calls, byKey, state };
}

async function actionStatus(id: string) {
  const { db } = await getTestContext();
  return db.selectFrom('billing_money_actions').select(['status', 'failure_message']).where('id', '=', id).executeTakeFirstOrThrow();
}

describe('execution through a processor (job)', () => {
  it('reserves in the request, and a job that crashes after the processor call retries with the same key: one refund', async () => {
    const processor = fakeProcessor();
    restore = useConnectorSourceForTests(async () => processor.connector);
    const w = await moneyWorld();
    const paymentId = await addPayment(w.workspace, w.accountId, 5000, 'EUR', { externalId: 'ch_crash' });

    const action = await requestAction(w.agent, w.caseId, { kind: 'refund', amount_minor: 4000, currency: 'EUR', payment_id: paymentId });
    // Approved and reserved; the processor is not asked inside the request.
    expect(action.status).toBe('approved');
    expect(processor.calls).toHaveLength(0);
    expect((await refundsOf(paymentId)).map((r) => r.status)).toEqual(['pending']);
    expect((await paymentRow(paymentId)).refunded_minor).toBe(4000);
    // The reservation already counts: a second refund beyond the rest is refused.
    const over = await postMoneyAction(w.agent, w.caseId, { kind: 'refund', amount_minor: 1001, currency: 'EUR', payment_id: paymentId });
    expect(errorCode(over)).toBe('billing.refund_exceeds_payment');

    processor.state.crashAfterNext = true;
    expect(await runMoneyActionJobs()).toBeGreaterThanOrEqual(1);
    expect((await actionStatus(action.id)).status).toBe('approved');
    expect((await refundsOf(paymentId)).map((r) => r.status)).toEqual(['pending']);

    // The retry is due after the backoff.
    await runMoneyActionJobs(new Date(Date.now() + 2 * 3_600_000));
    expect(await actionStatus(action.id)).toEqual({ status: 'completed', failure_message: null });
    expect(processor.calls.map((c) => c.request.idempotencyKey)).toEqual([`money-action:${action.id}`, `money-action:${action.id}`]);
    expect(processor.byKey.size).toBe(1);
    const refunds = await refundsOf(paymentId);
    expect(refunds).toMatchObject([{ status: 'succeeded', amount_minor: 4000, external_id: 're_1', money_action_id: action.id }]);
    expect((processor.calls[0]!.request as ProcessorRefundRequest).refundId).toBe(refunds[0]!.id);
    expect((processor.calls[0]!.request as ProcessorRefundRequest).paymentExternalId).toBe('ch_crash');
    expect((await paymentRow(paymentId)).refunded_minor).toBe(4000);

    const completed = (await caseEventsOf(w.caseId)).filter((e) => e.type === 'money_action_completed');
    expect(completed).toHaveLength(1);
    expect(completed[0]).toMatchObject({ actor_type: 'system', data: { external_id: 're_1', refund_status: 'succeeded' } });

    // Running the jobs again changes nothing.
    await runMoneyActionJobs(new Date(Date.now() + 4 * 3_600_000));
    expect(processor.calls).toHaveLength(2);
  });

  it('a processor refusal fails the action and gives the reservation back', async () => {
    const processor = fakeProcessor();
    restore = useConnectorSourceForTests(async () => processor.connector);
    const w = await moneyWorld();
    const paymentId = await addPayment(w.workspace, w.accountId, 5000, 'EUR', { externalId: 'ch_refused' });
    const action = await requestAction(w.agent, w.caseId, { kind: 'refund', amount_minor: 3000, currency: 'EUR', payment_id: paymentId });
    expect((await paymentRow(paymentId)).refunded_minor).toBe(3000);
    processor.state.refuseNext = true;
    await runMoneyActionJobs();
    expect(await actionStatus(action.id)).toEqual({
      status: 'failed',
      failure_message: 'Stripe refused to refund the payment: charge already refunded',
    });
    expect((await refundsOf(paymentId)).map((r) => r.status)).toEqual(['failed']);
    expect((await paymentRow(paymentId)).refunded_minor).toBe(0);
    const failed = (await caseEventsOf(w.caseId)).find((e) => e.type === 'money_action_failed');
    expect(failed?.data).toMatchObject({ money_action_id: action.id, failure_message: expect.stringContaining('refused') });
  });

  it('an approved credit runs through the job with the action id as credit id', async () => {
    const processor = fakeProcessor();
    restore = useConnectorSourceForTests(async () => processor.connector);
    const w = await moneyWorld();
    const stripeAccount = await addAccount(w.workspace, w.customerId, 'USD', 'cus_job');
    const action = await requestAction(w.agent, w.caseId, { kind: 'credit', amount_minor: 7000, currency: 'USD' });
    expect(action.status).toBe('pending_approval');
    const approved = await decide(w.supervisor, action.id, 'approve');
    expect(approved.json()).toMatchObject({ status: 'approved', decided_by: { id: w.supervisor.id } });
    await runMoneyActionJobs();
    expect((await actionStatus(action.id)).status).toBe('completed');
    expect(processor.calls).toMatchObject([
      { kind: 'credit', request: { creditId: action.id, accountExternalId: 'cus_job', amountMinor: 7000, currency: 'USD' } },
    ]);
    const { db } = await getTestContext();
    const account = await db
      .selectFrom('billing_accounts')
      .select('credit_balance_minor')
      .where('id', '=', stripeAccount)
      .executeTakeFirstOrThrow();
    expect(account.credit_balance_minor).toBe(7000);
    const credit = await db
      .selectFrom('billing_credits')
      .select(['id', 'external_id'])
      .where('money_action_id', '=', action.id)
      .executeTakeFirstOrThrow();
    expect(credit).toEqual({ id: action.id, external_id: 'cbtxn_1' });
  });

  it('a fee waiver never waits for a processor', async () => {
    const processor = fakeProcessor();
    restore = useConnectorSourceForTests(async () => processor.connector);
    const w = await moneyWorld();
    const invoiceId = await addInvoice(w.workspace, w.accountId, { totalMinor: 800 });
    const waiver = await requestAction(w.agent, w.caseId, {
      kind: 'fee_waiver',
      amount_minor: 800,
      currency: 'EUR',
      invoice_id: invoiceId,
    });
    expect(waiver.status).toBe('completed');
    expect(processor.calls).toHaveLength(0);
  });
});

describe('the database guard', () => {
  it('an over-refund that slipped past the checks fails on the CHECK and answers billing.refund_exceeds_payment', async () => {
    const w = await moneyWorld();
    const ctx = await getTestContext();
    const paymentId = await addPayment(w.workspace, w.accountId, 1000);
    // As if a concurrent refund had landed between the check and the reservation.
    const error = await inTransaction(ctx.db, async (tx) => {
      const action = await insertMoneyAction(tx, w.agent.actor, {
        customer_id: w.customerId,
        account_id: w.accountId,
        case_id: w.caseId,
        kind: 'refund',
        amount_minor: 1001,
        currency: 'EUR',
        reason: 'Too much',
        payment_id: paymentId,
        invoice_id: null,
        status: 'approved',
        requested_by: w.agent.id,
      });
      await startMoneyAction(tx, ctx, w.agent.actor, action);
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('billing.refund_exceeds_payment');
    expect((await paymentRow(paymentId)).refunded_minor).toBe(0);
    expect(await refundsOf(paymentId)).toEqual([]);
  });
});
