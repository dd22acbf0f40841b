import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAgent } from '../../../test/factories.js';
import { getTestApp, getTestContext } from '../../../test/harness.js';
import { AppError } from '../../../platform/errors.js';
import type { BillingConnector } from '../connectors/connector.js';
import { startFakeStripeApi, type FakeStripeApi } from '../stripe/test/fake-stripe-api.js';
import { chargeObject, refundObject, stripeEvent, stripeId, stripeObject } from '../stripe/test/stripe-fixtures.js';
import { deliver, newApiKey, putStripeSettings, stripeWorld, type StripeWorld } from '../stripe/test/webhook-support.js';
import { useConnectorSourceForTests } from './connector-source.js';
import { MAX_EXECUTION_ATTEMPTS } from './execute.js';
import { caseEventsOf, newCase, paymentRow, refundsOf, requestAction, runMoneyActionJobs } from './test-support.js';

/**
 * Money actions executed through Stripe (the real client against a local fake Stripe API), settled
 * by Stripe's refund webhooks, and what happens when the execution job runs out of attempts.
 */
let api: FakeStripeApi;
/** What the fake Stripe answers to POST /v1/refunds. */
const stripeAnswer = { refundStatus: 'succeeded' as string };

beforeAll(async () => {
  await getTestApp();
  api = await startFakeStripeApi((request) => {
    if (request.method === 'POST' && request.path === '/v1/refunds') {
      return {
        status: 200,
        body: stripeObject('refund', {
          id: `re_${request.headers['idempotency-key']?.toString().slice(-12)}`,
          amount: Number(request.form.get('amount')),
          charge: request.form.get('charge'),
          currency: 'eur',
          status: stripeAnswer.refundStatus,
          metadata: { baton_refund_id: request.form.get('metadata[baton_refund_id]') },
        }),
      };
    }
    return { status: 404, body: { error: { type: 'invalid_request_error', message: `No such route ${request.path}` } } };
  });
});

afterAll(async () => {
  await api?.close();
});

let restore: (() => void) | undefined;
afterEach(() => {
  stripeAnswer.refundStatus = 'succeeded';
  restore?.();
  restore = undefined;
});

const email = () => `${stripeId('payer')}@example.test`;

async function send(world: StripeWorld, type: string, object: Record<string, unknown>) {
  const res = await deliver(world.workspace.id, stripeEvent(type, object), { secret: world.secret });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ status?: string }>();
}

/**
 * A workspace on the Stripe connector (API base: the fake) whose customer paid 50.00 EUR by card
 * (charge.succeeded webhook), with a case of that customer and an agent.
 */
async function paidThroughStripe() {
  const world = await stripeWorld();
  const app = await getTestApp();
  expect((await putStripeSettings(world.admin, { api_key: newApiKey(), api_base: api.origin })).statusCode).toBe(200);
  const connector = await app.inject({
    method: 'PUT',
    url: '/api/v1/billing/settings/connector',
    headers: world.admin.headers,
    payload: { connector: 'stripe' },
  });
  expect(connector.statusCode, connector.body).toBe(200);
  const charge = chargeObject({ email: email(), amount: 5000 });
  expect((await send(world, 'charge.succeeded', charge)).status).toBe('processed');
  const { db } = await getTestContext();
  const payment = await db
    .selectFrom('billing_payments as p')
    .innerJoin('billing_accounts as a', 'a.id', 'p.account_id')
    .select(['p.id', 'a.customer_id'])
    .where('p.external_id', '=', String(charge.id))
    .executeTakeFirstOrThrow();
  const agent = await createAgent(world.workspace, { name: 'Avery Agent' });
  const caseId = await newCase(agent, payment.customer_id);
  return { world, agent, caseId, chargeId: String(charge.id), paymentId: payment.id, customerId: payment.customer_id };
}

async function actionRow(id: string) {
  const { db } = await getTestContext();
  return db
    .selectFrom('billing_money_actions')
    .select(['status', 'failure_message', 'execution_attempts'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

async function refundOf(world: Awaited<ReturnType<typeof paidThroughStripe>>, amount: number) {
  return requestAction(world.agent, world.caseId, { kind: 'refund', amount_minor: amount, currency: 'EUR', payment_id: world.paymentId });
}

describe('a refund Stripe answers pending', () => {
  it('waits as processing, counts once through charge.refunded, and completes on refund.updated succeeded', async () => {
    const w = await paidThroughStripe();
    stripeAnswer.refundStatus = 'pending';
    const action = await refundOf(w, 2000);
    expect(action.status).toBe('approved');
    await runMoneyActionJobs();

    expect(await actionRow(action.id)).toMatchObject({ status: 'processing', failure_message: null, execution_attempts: 1 });
    const [reserved] = await refundsOf(w.paymentId);
    expect(reserved).toMatchObject({ status: 'pending', amount_minor: 2000, money_action_id: action.id });
    expect(reserved!.external_id).toMatch(/^re_/);
    expect((await paymentRow(w.paymentId)).refunded_minor).toBe(2000);
    expect((await caseEventsOf(w.caseId)).map((e) => e.type)).toContain('money_action_processing');
    const app = await getTestApp();
    const view = await app.inject({ method: 'GET', url: `/api/v1/cases/${w.caseId}/money-actions`, headers: w.agent.headers });
    expect(view.json<{ data: { status: string }[] }>().data[0]!.status).toBe('processing');

    // Stripe reports the charge refunded (newer API: no refunds list): Baton's pending refund already counts.
    const refunded = chargeObject({ id: w.chargeId, email: email(), amount: 5000, amountRefunded: 2000, refunds: null });
    expect((await send(w.world, 'charge.refunded', refunded)).status).toBe('processed');
    expect(await refundsOf(w.paymentId)).toHaveLength(1);
    expect((await paymentRow(w.paymentId)).refunded_minor).toBe(2000);
    expect((await actionRow(action.id)).status).toBe('processing');

    const settledRefund = refundObject({
      id: reserved!.external_id!,
      charge: w.chargeId,
      amount: 2000,
      status: 'succeeded',
      batonRefundId: reserved!.id,
    });
    expect((await send(w.world, 'refund.updated', settledRefund)).status).toBe('processed');
    expect(await actionRow(action.id)).toMatchObject({ status: 'completed', failure_message: null });
    expect(await refundsOf(w.paymentId)).toMatchObject([{ id: reserved!.id, status: 'succeeded', amount_minor: 2000 }]);
    expect((await paymentRow(w.paymentId)).refunded_minor).toBe(2000);
    const completed = (await caseEventsOf(w.caseId)).filter((e) => e.type === 'money_action_completed');
    expect(completed).toHaveLength(1);
    expect(completed[0]!.data).toMatchObject({ refund_id: reserved!.id, refund_status: 'succeeded', external_id: reserved!.external_id });

    // Replays and the job running again change nothing.
    await send(w.world, 'refund.updated', settledRefund);
    await runMoneyActionJobs(new Date(Date.now() + 2 * 3_600_000));
    expect((await caseEventsOf(w.caseId)).filter((e) => e.type === 'money_action_completed')).toHaveLength(1);
    expect(api.requests.filter((r) => r.path === '/v1/refunds' && r.form.get('metadata[baton_refund_id]') === reserved!.id)).toHaveLength(
      1,
    );
  });

  it('fails the action with Stripe’s reason when the pending refund fails, and gives the reservation back', async () => {
    const w = await paidThroughStripe();
    stripeAnswer.refundStatus = 'pending';
    const action = await refundOf(w, 1500);
    await runMoneyActionJobs();
    const [reserved] = await refundsOf(w.paymentId);
    const failed = {
      ...refundObject({ id: reserved!.external_id!, charge: w.chargeId, amount: 1500, status: 'failed', batonRefundId: reserved!.id }),
      failure_reason: 'expired_or_canceled_card',
    };
    await send(w.world, 'refund.failed', failed);
    expect(await actionRow(action.id)).toEqual({
      status: 'failed',
      failure_message: 'The payment processor reported the refund as failed (expired or canceled card)',
      execution_attempts: 1,
    });
    expect((await paymentRow(w.paymentId)).refunded_minor).toBe(0);
    const event = (await caseEventsOf(w.caseId)).find((e) => e.type === 'money_action_failed');
    expect(event?.data).toMatchObject({ refund_status: 'failed', failure_message: expect.stringContaining('expired or canceled card') });
  });

  it('a final status reported before the job stored Stripe’s answer settles the action; the job then does nothing', async () => {
    const w = await paidThroughStripe();
    const action = await refundOf(w, 1000);
    const [reserved] = await refundsOf(w.paymentId);
    const early = refundObject({ charge: w.chargeId, amount: 1000, status: 'succeeded', batonRefundId: reserved!.id });
    await send(w.world, 'refund.created', early);
    expect((await actionRow(action.id)).status).toBe('completed');
    const before = api.requests.length;
    await runMoneyActionJobs();
    expect(api.requests.length).toBe(before);
    expect(await refundsOf(w.paymentId)).toMatchObject([{ id: reserved!.id, status: 'succeeded', external_id: early.id }]);
    expect((await paymentRow(w.paymentId)).refunded_minor).toBe(1000);
  });
});

describe('a refund Baton created, reported back by charge.refunded', () => {
  it('is counted once, with or without the refunds list in the event', async () => {
    const w = await paidThroughStripe();
    const action = await refundOf(w, 1200);
    await runMoneyActionJobs();
    expect((await actionRow(action.id)).status).toBe('completed');
    const [ours] = await refundsOf(w.paymentId);
    expect(ours).toMatchObject({ status: 'succeeded', amount_minor: 1200 });

    // Newer API versions: only amount_refunded.
    await send(
      w.world,
      'charge.refunded',
      chargeObject({ id: w.chargeId, email: email(), amount: 5000, amountRefunded: 1200, refunds: null }),
    );
    expect(await refundsOf(w.paymentId)).toHaveLength(1);
    expect((await paymentRow(w.paymentId)).refunded_minor).toBe(1200);

    // Older API versions: the refund embedded, echoing baton_refund_id.
    const embedded = refundObject({ id: ours!.external_id!, charge: w.chargeId, amount: 1200, batonRefundId: ours!.id });
    await send(
      w.world,
      'charge.refunded',
      chargeObject({ id: w.chargeId, email: email(), amount: 5000, amountRefunded: 1200, refunds: [embedded] }),
    );
    expect(await refundsOf(w.paymentId)).toMatchObject([{ id: ours!.id, status: 'succeeded', amount_minor: 1200 }]);
    expect((await paymentRow(w.paymentId)).refunded_minor).toBe(1200);

    // A second refund made in the Stripe dashboard is added once, whichever event comes first.
    await send(
      w.world,
      'charge.refunded',
      chargeObject({ id: w.chargeId, email: email(), amount: 5000, amountRefunded: 2000, refunds: null }),
    );
    expect((await paymentRow(w.paymentId)).refunded_minor).toBe(2000);
    await send(w.world, 'refund.created', refundObject({ charge: w.chargeId, amount: 800 }));
    expect((await paymentRow(w.paymentId)).refunded_minor).toBe(2000);
    const statuses = (await refundsOf(w.paymentId)).map((r) => [r.amount_minor, r.status]);
    expect(statuses).toEqual([
      [1200, 'succeeded'],
      [800, 'canceled'],
      [800, 'succeeded'],
    ]);
  });
});

describe('when the execution job runs out of attempts', () => {
  /** A processor that cannot be reached (as Stripe answering 503 every time). */
  function unreachable(): { connector: BillingConnector; calls: string[] } {
    const calls: string[] = [];
    const down = () =>
      new AppError('unavailable', 'billing.processor_unavailable', 'Stripe could not be reached to refund the payment; try again later', {
        retryable: true,
      });
    return {
      calls,
      connector: {
        name: 'stripe',
        async createRefund(request) {
          calls.push(request.idempotencyKey);
          throw down();
        },
        async grantCredit(request) {
          calls.push(request.idempotencyKey);
          throw down();
        },
        async submitDisputeEvidence() {
          throw down();
        },
      },
    };
  }

  it('fails the action with the last error, audited on the case, and gives the reservation back', async () => {
    const processor = unreachable();
    restore = useConnectorSourceForTests(async () => processor.connector);
    const w = await paidThroughStripe();
    const action = await refundOf(w, 3000);
    await runMoneyActionJobs();
    expect(await actionRow(action.id)).toEqual({ status: 'approved', failure_message: null, execution_attempts: 1 });
    expect((await paymentRow(w.paymentId)).refunded_minor).toBe(3000);

    // Later: every retry falls due (the worker loops until the job is done).
    await runMoneyActionJobs(new Date(Date.now() + 2 * 3_600_000));
    expect(processor.calls).toHaveLength(MAX_EXECUTION_ATTEMPTS);
    expect(new Set(processor.calls)).toEqual(new Set([`money-action:${action.id}`]));
    const row = await actionRow(action.id);
    expect(row).toEqual({
      status: 'failed',
      failure_message: `Gave up after ${MAX_EXECUTION_ATTEMPTS} attempts: Stripe could not be reached to refund the payment; try again later`,
      execution_attempts: MAX_EXECUTION_ATTEMPTS,
    });
    expect((await refundsOf(w.paymentId)).map((r) => r.status)).toEqual(['failed']);
    expect((await paymentRow(w.paymentId)).refunded_minor).toBe(0);
    const failed = (await caseEventsOf(w.caseId)).filter((e) => e.type === 'money_action_failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ actor_type: 'system', data: { money_action_id: action.id, failure_message: row.failure_message } });
    const { db } = await getTestContext();
    const audit = await db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', action.id)
      .where('action', '=', 'billing.money_action_failed')
      .execute();
    expect(audit).toHaveLength(1);
    const job = await db
      .selectFrom('jobs')
      .select(['status', 'attempts'])
      .where('singleton_key', '=', `money-action:${action.id}`)
      .executeTakeFirstOrThrow();
    expect(job).toEqual({ status: 'done', attempts: MAX_EXECUTION_ATTEMPTS });

    // Stripe did refund after all (the calls reached it): its webhooks complete the action, and
    // the amount charge.refunded reported first is not counted on top of Baton's own refund.
    const [ours] = await refundsOf(w.paymentId);
    await send(
      w.world,
      'charge.refunded',
      chargeObject({ id: w.chargeId, email: email(), amount: 5000, amountRefunded: 3000, refunds: null }),
    );
    expect((await paymentRow(w.paymentId)).refunded_minor).toBe(3000);
    await send(w.world, 'refund.updated', refundObject({ charge: w.chargeId, amount: 3000, status: 'succeeded', batonRefundId: ours!.id }));
    expect((await paymentRow(w.paymentId)).refunded_minor).toBe(3000);
    expect((await refundsOf(w.paymentId)).map((r) => [r.id === ours!.id, r.status])).toEqual([
      [true, 'succeeded'],
      [false, 'canceled'],
    ]);
    expect(await actionRow(action.id)).toMatchObject({ status: 'completed', failure_message: null });
  });

  it('fails an action whose last attempt never finished (a worker killed mid-call) without asking again', async () => {
    const processor = unreachable();
    restore = useConnectorSourceForTests(async () => processor.connector);
    const w = await paidThroughStripe();
    const action = await refundOf(w, 500);
    const { db } = await getTestContext();
    await db.updateTable('billing_money_actions').set({ execution_attempts: MAX_EXECUTION_ATTEMPTS }).where('id', '=', action.id).execute();
    await runMoneyActionJobs();
    expect(processor.calls).toEqual([]);
    expect(await actionRow(action.id)).toMatchObject({
      status: 'failed',
      failure_message: `Gave up after ${MAX_EXECUTION_ATTEMPTS} attempts: the last one did not finish`,
    });
    expect((await paymentRow(w.paymentId)).refunded_minor).toBe(0);
  });
});
