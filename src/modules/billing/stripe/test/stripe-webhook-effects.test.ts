import { beforeAll, describe, expect, it } from 'vitest';
import { getTestApp, getTestContext } from '../../../../test/harness.js';
import { upsertRefund } from '../../service.js';
import {
  chargeObject,
  disputeObject,
  invoiceObject,
  nowSeconds,
  refundObject,
  stripeEvent,
  stripeId,
  subscriptionObject,
} from './stripe-fixtures.js';
import { deliver, stripeWorld, type StripeWorld } from './webhook-support.js';

beforeAll(async () => {
  await getTestApp();
});

const email = () => `${stripeId('payer')}@example.test`;

async function send(world: StripeWorld, type: string, object: Record<string, unknown>, created?: number) {
  const res = await deliver(world.workspace.id, stripeEvent(type, object, created === undefined ? {} : { created }), {
    secret: world.secret,
  });
  expect(res.statusCode).toBe(200);
  return res.json<{ received: true; duplicate: boolean; status?: string }>();
}

async function rows(world: StripeWorld) {
  const { db } = await getTestContext();
  const ws = world.workspace.id;
  const [accounts, invoices, lines, payments, refunds, subscriptions, disputes, events] = await Promise.all([
    db.selectFrom('billing_accounts').selectAll().where('workspace_id', '=', ws).execute(),
    db.selectFrom('billing_invoices').selectAll().where('workspace_id', '=', ws).execute(),
    db.selectFrom('billing_invoice_lines').selectAll().where('workspace_id', '=', ws).execute(),
    db.selectFrom('billing_payments').selectAll().where('workspace_id', '=', ws).execute(),
    db.selectFrom('billing_refunds').selectAll().where('workspace_id', '=', ws).orderBy('created_at').execute(),
    db.selectFrom('billing_subscriptions').selectAll().where('workspace_id', '=', ws).execute(),
    db.selectFrom('disputes').selectAll().where('workspace_id', '=', ws).execute(),
    db.selectFrom('billing_webhook_events').selectAll().where('workspace_id', '=', ws).orderBy('received_at').execute(),
  ]);
  return { accounts, invoices, lines, payments, refunds, subscriptions, disputes, events };
}

describe('Stripe webhook effects: invoices, charges, subscriptions', () => {
  it('invoice.paid links the customer by email and records the invoice with its lines; later events link by customer id', async () => {
    const { db } = await getTestContext();
    const world = await stripeWorld();
    const customer = stripeId('cus');
    const payer = email();
    expect(
      await send(world, 'invoice.paid', invoiceObject({ customer, email: payer, status: 'paid', total: 2000, number: 'INV-0001' })),
    ).toMatchObject({ status: 'processed' });
    let state = await rows(world);
    expect(state.accounts).toEqual([expect.objectContaining({ source: 'stripe', external_id: customer, email: payer, currency: 'EUR' })]);
    const identity = await db
      .selectFrom('customer_identities')
      .select(['customer_id', 'value'])
      .where('workspace_id', '=', world.workspace.id)
      .execute();
    expect(identity).toEqual([{ customer_id: state.accounts[0]!.customer_id, value: payer }]);
    expect(state.invoices).toEqual([
      expect.objectContaining({
        number: 'INV-0001',
        status: 'paid',
        total_minor: 2000,
        amount_paid_minor: 2000,
        amount_due_minor: 0,
        currency: 'EUR',
      }),
    ]);
    expect(state.lines).toEqual([
      expect.objectContaining({ description: 'Pro plan (monthly)', quantity: 1, unit_amount_minor: 2000, amount_minor: 2000 }),
    ]);

    // No email on the charge: the Stripe customer id finds the account.
    const charge = chargeObject({ customer, email: null, amount: 2000 });
    await send(world, 'charge.succeeded', charge);
    state = await rows(world);
    expect(state.accounts).toHaveLength(1);
    expect(state.payments).toEqual([
      expect.objectContaining({
        account_id: state.accounts[0]!.id,
        external_id: charge.id,
        processor_reference: charge.payment_intent,
        status: 'succeeded',
        amount_minor: 2000,
        method_summary: 'Visa •••• 4242',
      }),
    ]);
  });

  it('invoice.payment_failed leaves the invoice open with the amount due and records the failed attempt', async () => {
    const world = await stripeWorld();
    const customer = stripeId('cus');
    const chargeId = stripeId('ch');
    await send(world, 'invoice.payment_failed', invoiceObject({ customer, email: email(), status: 'open', total: 3500, charge: chargeId }));
    let state = await rows(world);
    expect(state.invoices).toEqual([
      expect.objectContaining({ status: 'open', total_minor: 3500, amount_due_minor: 3500, amount_paid_minor: 0 }),
    ]);
    expect(state.payments).toEqual([
      expect.objectContaining({ external_id: chargeId, status: 'failed', invoice_id: state.invoices[0]!.id, amount_minor: 3500 }),
    ]);
    // The charge's own event refines the placeholder (failure code), whatever its time.
    await send(
      world,
      'charge.failed',
      chargeObject({
        id: chargeId,
        customer,
        status: 'failed',
        amount: 3500,
        failureCode: 'insufficient_funds',
        failureMessage: 'Insufficient funds',
      }),
      nowSeconds() - 60,
    );
    state = await rows(world);
    expect(state.payments).toEqual([expect.objectContaining({ failure_code: 'insufficient_funds', invoice_id: state.invoices[0]!.id })]);
  });

  it('invoice.paid naming its charge (older API versions) links the payment recorded before to the invoice', async () => {
    const world = await stripeWorld();
    const customer = stripeId('cus');
    const payer = email();
    const charge = chargeObject({ customer, email: payer, amount: 2000 });
    await send(world, 'charge.succeeded', charge);
    await send(world, 'invoice.paid', invoiceObject({ customer, email: payer, status: 'paid', total: 2000, charge: String(charge.id) }));
    const state = await rows(world);
    expect(state.accounts).toHaveLength(1);
    expect(state.payments).toEqual([
      expect.objectContaining({ external_id: charge.id, status: 'succeeded', invoice_id: state.invoices[0]!.id }),
    ]);
  });

  it('customer.subscription.updated records the plan, price and period; an older update changes nothing', async () => {
    const world = await stripeWorld();
    const customer = stripeId('cus');
    await send(world, 'invoice.paid', invoiceObject({ customer, email: email(), status: 'paid' }));
    const id = stripeId('sub');
    const t = nowSeconds();
    await send(
      world,
      'customer.subscription.updated',
      subscriptionObject({ id, customer, status: 'past_due', unitAmount: 2900, nickname: 'Team' }),
      t,
    );
    await send(world, 'customer.subscription.updated', subscriptionObject({ id, customer, status: 'active', unitAmount: 2000 }), t - 100);
    const { subscriptions, accounts } = await rows(world);
    expect(subscriptions).toEqual([
      expect.objectContaining({
        account_id: accounts[0]!.id,
        external_id: id,
        plan_name: 'Team',
        status: 'past_due',
        price_minor: 2900,
        billing_interval: 'month',
      }),
    ]);
    expect(subscriptions[0]!.current_period_end).toBeInstanceOf(Date);

    const orphan = await send(world, 'customer.subscription.updated', subscriptionObject({ customer: stripeId('cus'), status: 'active' }));
    expect(orphan.status).toBe('failed');
  });
});

describe('Stripe webhook effects: refunds', () => {
  it('charge.refunded with embedded refunds updates the refund Baton created (baton_refund_id) instead of adding one', async () => {
    const { db } = await getTestContext();
    const world = await stripeWorld();
    const customer = stripeId('cus');
    const payer = email();
    const charge = chargeObject({ customer, email: payer, amount: 5000 });
    await send(world, 'charge.succeeded', charge);
    const [payment] = (await rows(world)).payments;
    // What a money action reserves before it calls Stripe.
    const ours = await db.transaction().execute((tx) =>
      upsertRefund(tx, world.workspace.system, {
        paymentId: payment!.id,
        externalId: null,
        amountMinor: 1500,
        currency: 'EUR',
        status: 'pending',
        sourceEventAt: null,
      }),
    );
    const refunds = [
      refundObject({ charge: String(charge.id), amount: 1500, batonRefundId: ours.id }),
      refundObject({ charge: String(charge.id), amount: 1000 }),
    ];
    const refunded = chargeObject({ id: String(charge.id), customer, email: payer, amount: 5000, amountRefunded: 2500, refunds });
    await send(world, 'charge.refunded', refunded);
    await send(world, 'charge.refunded', refunded); // a replay with a new event id changes nothing either
    const state = await rows(world);
    expect(state.refunds).toEqual([
      expect.objectContaining({ id: ours.id, external_id: refunds[0]!.id, amount_minor: 1500, status: 'succeeded' }),
      expect.objectContaining({ external_id: refunds[1]!.id, amount_minor: 1000, status: 'succeeded' }),
    ]);
    expect(state.payments[0]!.refunded_minor).toBe(2500);
    expect(state.events.map((e) => e.status)).toEqual(['processed', 'processed', 'processed']);
  });

  it('charge.refunded without the refunds list (newer API versions) reconciles from amount_refunded', async () => {
    const world = await stripeWorld();
    const payer = email();
    const charge = chargeObject({ email: payer, amount: 5000 });
    await send(world, 'charge.succeeded', charge);
    await send(
      world,
      'charge.refunded',
      chargeObject({ id: String(charge.id), email: payer, amount: 5000, amountRefunded: 2000, refunds: null }),
    );
    await send(
      world,
      'charge.refunded',
      chargeObject({ id: String(charge.id), email: payer, amount: 5000, amountRefunded: 2000, refunds: null }),
    );
    await send(
      world,
      'charge.refunded',
      chargeObject({ id: String(charge.id), email: payer, amount: 5000, amountRefunded: 5000, refunds: null }),
    );
    const state = await rows(world);
    expect(state.refunds.map((r) => [r.amount_minor, r.status])).toEqual([
      [2000, 'succeeded'],
      [3000, 'succeeded'],
    ]);
    expect(state.payments[0]!.refunded_minor).toBe(5000);
  });

  it('refund.updated moves a refund by its Stripe id; one for an unknown charge is stored failed', async () => {
    const world = await stripeWorld();
    const charge = chargeObject({ email: email(), amount: 5000 });
    await send(world, 'charge.succeeded', charge);
    const refundId = stripeId('re');
    const t = nowSeconds();
    await send(world, 'refund.created', refundObject({ id: refundId, charge: String(charge.id), amount: 700, status: 'pending' }), t - 10);
    await send(world, 'refund.updated', refundObject({ id: refundId, charge: String(charge.id), amount: 700, status: 'failed' }), t);
    const state = await rows(world);
    expect(state.refunds).toEqual([expect.objectContaining({ external_id: refundId, status: 'failed' })]);
    expect(state.payments[0]!.refunded_minor).toBe(0);
    expect((await send(world, 'refund.created', refundObject({ charge: 'ch_unknown', amount: 100 }))).status).toBe('failed');
  });

  it('a refund above what was paid is stored failed with the reason, and changes nothing', async () => {
    const world = await stripeWorld();
    const charge = chargeObject({ email: email(), amount: 1000 });
    await send(world, 'charge.succeeded', charge);
    const res = await send(world, 'refund.created', refundObject({ charge: String(charge.id), amount: 5000 }));
    expect(res.status).toBe('failed');
    const state = await rows(world);
    expect(state.refunds).toEqual([]);
    expect(state.events.at(-1)!.error).toMatch(/billing\.refund_exceeds_payment/);
  });
});

describe('Stripe webhook effects: disputes', () => {
  it('opens a dispute case, follows withdrawn and reinstated funds, and ends won even when closed arrives before updated', async () => {
    const { db } = await getTestContext();
    const world = await stripeWorld();
    const charge = chargeObject({ email: email(), amount: 4990 });
    await send(world, 'charge.succeeded', charge);
    const id = stripeId('dp');
    const t = nowSeconds();
    const dueBy = t + 5 * 86400;
    await send(world, 'charge.dispute.created', disputeObject({ id, charge: String(charge.id), status: 'needs_response', dueBy }), t - 50);
    let state = await rows(world);
    expect(state.disputes).toEqual([
      expect.objectContaining({
        external_id: id,
        status: 'needs_response',
        amount_minor: 4990,
        currency: 'EUR',
        reason: 'fraudulent',
        payment_id: state.payments[0]!.id,
      }),
    ]);
    expect(state.disputes[0]!.evidence_due_at!.getTime()).toBe(dueBy * 1000);
    expect(state.payments[0]!.disputed).toBe(true);
    const caseRow = await db
      .selectFrom('cases')
      .select(['type', 'customer_id'])
      .where('id', '=', state.disputes[0]!.case_id!)
      .executeTakeFirstOrThrow();
    expect(caseRow).toEqual({ type: 'dispute', customer_id: state.accounts[0]!.customer_id });

    await send(
      world,
      'charge.dispute.funds_withdrawn',
      disputeObject({ id, charge: String(charge.id), status: 'needs_response', dueBy }),
      t - 40,
    );
    expect((await rows(world)).disputes[0]!.funds_withdrawn_minor).toBe(4990);
    await send(world, 'charge.dispute.updated', disputeObject({ id, charge: String(charge.id), status: 'under_review', dueBy }), t - 30);
    expect((await rows(world)).disputes[0]!.status).toBe('under_review');

    // Delivered out of order: the closing event first, the older review update afterwards.
    await send(world, 'charge.dispute.closed', disputeObject({ id, charge: String(charge.id), status: 'won', dueBy }), t);
    await send(world, 'charge.dispute.updated', disputeObject({ id, charge: String(charge.id), status: 'under_review', dueBy }), t - 20);
    await send(world, 'charge.dispute.updated', disputeObject({ id, charge: String(charge.id), status: 'under_review', dueBy }), t);
    await send(
      world,
      'charge.dispute.funds_reinstated',
      disputeObject({ id, charge: String(charge.id), status: 'won', dueBy, balanceTransactions: [{ amount: -4990 }, { amount: 4990 }] }),
      t + 1,
    );
    state = await rows(world);
    expect(state.disputes).toEqual([
      expect.objectContaining({ status: 'won', outcome: 'won', funds_withdrawn_minor: 4990, funds_reinstated_minor: 4990 }),
    ]);
    expect(state.events.every((e) => e.status === 'processed')).toBe(true);
  });

  it('charge.dispute.closed for a dispute Baton never saw opens its case, records the outcome and solves the case', async () => {
    const { db } = await getTestContext();
    const world = await stripeWorld();
    const charge = chargeObject({ email: email(), amount: 4990 });
    await send(world, 'charge.succeeded', charge);
    const res = await send(world, 'charge.dispute.closed', disputeObject({ charge: String(charge.id), status: 'won' }));
    expect(res.status).toBe('processed');
    const { disputes } = await rows(world);
    expect(disputes).toEqual([expect.objectContaining({ status: 'won', outcome: 'won', case_id: expect.any(String) })]);
    const kase = await db
      .selectFrom('cases')
      .select(['type', 'status', 'due_at'])
      .where('id', '=', disputes[0]!.case_id!)
      .executeTakeFirstOrThrow();
    expect(kase).toEqual({ type: 'dispute', status: 'solved', due_at: null });
  });

  it('a dispute on a charge Baton never saw is stored failed', async () => {
    const world = await stripeWorld();
    const res = await send(world, 'charge.dispute.created', disputeObject({ charge: stripeId('ch'), status: 'needs_response' }));
    expect(res.status).toBe('failed');
    expect((await rows(world)).disputes).toEqual([]);
  });
});
