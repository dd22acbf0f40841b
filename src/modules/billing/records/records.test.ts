import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../../db/database.js';
import { AppError } from '../../../platform/errors.js';
import {
  getCustomerBillingSignals,
  getInvoice,
  getPayment,
  recalculateInvoiceDue,
  setPaymentDisputed,
  upsertBillingAccount,
  upsertInvoice,
  upsertPayment,
  upsertRefund,
  upsertSubscription,
} from '../service.js';
import { accountWithPayment, billingWorld, createAgent, createWorkspace, DAY, eventsOf, unique } from '../test-support.js';

const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);

async function rejects(promise: Promise<unknown>, code: string) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
}

describe('billing records: out-of-order and replayed events', () => {
  it('ignores an older subscription event and emits subscription_changed on status changes only', async () => {
    const { db, workspace, customerId } = await billingWorld();
    const sys = workspace.system;
    const account = await inTransaction(db, (tx) =>
      upsertBillingAccount(tx, sys, { customerId, source: 'stripe', externalId: unique('cus'), currency: 'eur' }),
    );
    const externalId = unique('sub');
    const base = {
      accountId: account.id,
      externalId,
      planName: 'Pro',
      priceMinor: 4990,
      currency: 'EUR',
      interval: 'month' as const,
      currentPeriodEnd: null,
      cancelAtPeriodEnd: false,
    };
    const created = await inTransaction(db, (tx) => upsertSubscription(tx, sys, { ...base, status: 'active', sourceEventAt: at(10) }));
    expect(created.changed).toBe(true);
    const late = await inTransaction(db, (tx) => upsertSubscription(tx, sys, { ...base, status: 'canceled', sourceEventAt: at(20) }));
    expect(late).toEqual({ id: created.id, changed: false });
    const newer = await inTransaction(db, (tx) => upsertSubscription(tx, sys, { ...base, status: 'past_due', sourceEventAt: at(5) }));
    expect(newer).toEqual({ id: created.id, changed: true });
    // A replay of the same event applies again but is no status change: no second event.
    await inTransaction(db, (tx) => upsertSubscription(tx, sys, { ...base, status: 'past_due', sourceEventAt: at(5) }));
    const row = await db.selectFrom('billing_subscriptions').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('past_due');
    const events = await eventsOf(created.id);
    expect(events.map((e) => [e.type, e.payload.status, e.payload.previous_status])).toEqual([
      ['billing.subscription_changed', 'active', null],
      ['billing.subscription_changed', 'past_due', 'active'],
    ]);
    expect(events[0]!.payload.customer_id).toBe(customerId);
  });

  it('keeps the newest invoice state, computes amount due and never lets it go below zero', async () => {
    const { db, workspace, customerId } = await billingWorld();
    const sys = workspace.system;
    const account = await inTransaction(db, (tx) =>
      upsertBillingAccount(tx, sys, { customerId, source: 'ledger', externalId: null, currency: 'EUR' }),
    );
    const externalId = unique('in');
    const base = {
      accountId: account.id,
      externalId,
      number: unique('INV'),
      currency: 'EUR',
      issuedAt: at(100),
      dueAt: null,
      paidAt: null,
    };
    const lines = [
      { description: 'Pro plan', quantity: 1, unitAmountMinor: 4500, amountMinor: 4500 },
      { description: 'Late fee', quantity: 1, unitAmountMinor: 500, amountMinor: 500, isFee: true },
    ];
    const first = await inTransaction(db, (tx) =>
      upsertInvoice(tx, sys, { ...base, status: 'open', totalMinor: 5000, amountPaidMinor: 1000, lines, sourceEventAt: at(10) }),
    );
    let invoice = await getInvoice(db, sys, first.id);
    expect(invoice.amount_due_minor).toBe(4000);
    expect(invoice.lines.map((l) => [l.position, l.description, l.is_fee])).toEqual([
      [0, 'Pro plan', false],
      [1, 'Late fee', true],
    ]);
    const stale = await inTransaction(db, (tx) =>
      upsertInvoice(tx, sys, { ...base, status: 'paid', totalMinor: 5000, amountPaidMinor: 5000, lines: [], sourceEventAt: at(30) }),
    );
    expect(stale.changed).toBe(false);
    invoice = await getInvoice(db, sys, first.id);
    expect([invoice.status, invoice.amount_due_minor, invoice.lines.length]).toEqual(['open', 4000, 2]);

    // A fee waiver lowers what is owed; amount due never goes below zero.
    await db
      .insertInto('billing_credits')
      .values({
        workspace_id: workspace.id,
        account_id: account.id,
        kind: 'fee_waiver',
        amount_minor: 500,
        currency: 'EUR',
        invoice_id: first.id,
      })
      .execute();
    expect(await inTransaction(db, (tx) => recalculateInvoiceDue(tx, sys, first.id))).toEqual({ amountDueMinor: 3500 });
    await inTransaction(db, (tx) =>
      upsertInvoice(tx, sys, { ...base, status: 'open', totalMinor: 5000, amountPaidMinor: 4800, sourceEventAt: at(5) }),
    );
    invoice = await getInvoice(db, sys, first.id);
    expect(invoice.amount_due_minor).toBe(0);
    expect(invoice.lines).toHaveLength(2);
  });

  it('applies payment status changes in event order and emits failed/succeeded once each', async () => {
    const { db, workspace, customerId } = await billingWorld();
    const sys = workspace.system;
    const account = await inTransaction(db, (tx) =>
      upsertBillingAccount(tx, sys, { customerId, source: 'stripe', externalId: unique('cus'), currency: 'usd' }),
    );
    const externalId = unique('ch');
    const base = { accountId: account.id, externalId, amountMinor: 1999, currency: 'usd', paidAt: at(60), methodSummary: 'Visa •••• 4242' };
    const { id } = await inTransaction(db, (tx) => upsertPayment(tx, sys, { ...base, status: 'pending', sourceEventAt: at(50) }));
    await inTransaction(db, (tx) =>
      upsertPayment(tx, sys, {
        ...base,
        status: 'failed',
        failureCode: 'card_declined',
        failureMessage: 'insufficient_funds',
        sourceEventAt: at(30),
      }),
    );
    // charge.succeeded from before the failure arrives late: nothing changes.
    expect(await inTransaction(db, (tx) => upsertPayment(tx, sys, { ...base, status: 'succeeded', sourceEventAt: at(40) }))).toEqual({
      id,
      changed: false,
    });
    let payment = await getPayment(db, sys, id);
    expect([payment.status, payment.failure_code, payment.currency]).toEqual(['failed', 'card_declined', 'USD']);
    await inTransaction(db, (tx) => upsertPayment(tx, sys, { ...base, status: 'succeeded', sourceEventAt: at(10) }));
    payment = await getPayment(db, sys, id);
    expect([payment.status, payment.failure_code, payment.failure_message]).toEqual(['succeeded', null, null]);
    const events = await eventsOf(id);
    expect(events.map((e) => e.type)).toEqual(['billing.payment_failed', 'billing.payment_succeeded']);
    expect(events[0]!.payload).toMatchObject({
      customer_id: customerId,
      amount_minor: 1999,
      currency: 'USD',
      failure_code: 'card_declined',
    });
  });

  it('updates a refund by event time and by Baton refund id, keeping refunded_minor right', async () => {
    const { db, workspace, customerId } = await billingWorld();
    const sys = workspace.system;
    const { paymentId } = await accountWithPayment(workspace, customerId, 5000);
    const externalId = unique('re');
    const base = { paymentId, externalId, amountMinor: 2000, currency: 'EUR' };
    const refund = await inTransaction(db, (tx) => upsertRefund(tx, sys, { ...base, status: 'pending', sourceEventAt: at(20) }));
    expect((await getPayment(db, sys, paymentId)).refunded_minor).toBe(2000);
    expect(await inTransaction(db, (tx) => upsertRefund(tx, sys, { ...base, status: 'failed', sourceEventAt: at(30) }))).toEqual({
      id: refund.id,
      changed: false,
    });
    expect((await getPayment(db, sys, paymentId)).refunded_minor).toBe(2000);
    await inTransaction(db, (tx) => upsertRefund(tx, sys, { ...base, status: 'failed', sourceEventAt: at(10) }));
    expect((await getPayment(db, sys, paymentId)).refunded_minor).toBe(0);

    // Baton's own refund row (no processor id yet) is completed by the webhook naming it.
    const own = await inTransaction(db, (tx) =>
      upsertRefund(tx, sys, { paymentId, externalId: null, amountMinor: 1500, currency: 'EUR', status: 'pending', sourceEventAt: null }),
    );
    const echoed = await inTransaction(db, (tx) =>
      upsertRefund(tx, sys, {
        paymentId,
        externalId: unique('re'),
        amountMinor: 1500,
        currency: 'eur',
        status: 'succeeded',
        sourceEventAt: at(1),
        refundId: own.id,
      }),
    );
    expect(echoed.id).toBe(own.id);
    const refunds = await db
      .selectFrom('billing_refunds')
      .select(['id', 'status'])
      .where('payment_id', '=', paymentId)
      .orderBy('created_at')
      .execute();
    expect(refunds.map((r) => r.status)).toEqual(['failed', 'succeeded']);
    expect((await getPayment(db, sys, paymentId)).refunded_minor).toBe(1500);
    expect((await eventsOf(refund.id)).map((e) => e.payload.status)).toEqual(['pending', 'failed']);
    await rejects(
      inTransaction(db, (tx) =>
        upsertRefund(tx, sys, { ...base, externalId: unique('re'), currency: 'USD', status: 'succeeded', sourceEventAt: null }),
      ),
      'billing.currency_mismatch',
    );
  });

  it('marks a payment disputed, and finds nothing of another workspace', async () => {
    const { db, workspace, customerId } = await billingWorld();
    const { paymentId } = await accountWithPayment(workspace, customerId);
    await inTransaction(db, (tx) => setPaymentDisputed(tx, workspace.system, paymentId, true));
    expect((await getPayment(db, workspace.system, paymentId)).disputed).toBe(true);
    // An agent entering a dispute by hand may set the flag (dispute.write) without billing.write.
    const agent = await createAgent(workspace);
    await inTransaction(db, (tx) => setPaymentDisputed(tx, agent.actor, paymentId, false));
    expect((await getPayment(db, workspace.system, paymentId)).disputed).toBe(false);
    const other = await createWorkspace();
    await rejects(getPayment(db, other.system, paymentId), 'billing.payment_not_found');
    await rejects(
      inTransaction(db, (tx) => setPaymentDisputed(tx, other.system, paymentId, true)),
      'billing.payment_not_found',
    );
  });

  it('authorizes: agents read only, accounts need a customer of the workspace', async () => {
    const { db, workspace, customerId, agent, supervisor } = await billingWorld();
    await rejects(
      inTransaction(db, (tx) => upsertBillingAccount(tx, agent.actor, { customerId, source: 'ledger', externalId: null, currency: 'EUR' })),
      'auth.forbidden',
    );
    const account = await inTransaction(db, (tx) =>
      upsertBillingAccount(tx, supervisor.actor, { customerId, source: 'ledger', externalId: null, currency: 'EUR' }),
    );
    expect(account.created).toBe(true);
    // Without an external id, one ledger account per customer and currency.
    expect(
      await inTransaction(db, (tx) =>
        upsertBillingAccount(tx, supervisor.actor, { customerId, source: 'ledger', externalId: null, currency: 'eur', name: 'Bea' }),
      ),
    ).toEqual({
      id: account.id,
      created: false,
    });
    const other = await createWorkspace();
    await rejects(
      inTransaction(db, (tx) =>
        upsertBillingAccount(tx, other.system, { customerId, source: 'ledger', externalId: null, currency: 'EUR' }),
      ),
      'customer.not_found',
    );
    await rejects(
      inTransaction(db, (tx) =>
        upsertPayment(tx, other.system, {
          accountId: account.id,
          externalId: null,
          amountMinor: 100,
          currency: 'EUR',
          status: 'succeeded',
          paidAt: null,
          sourceEventAt: null,
        }),
      ),
      'billing.account_not_found',
    );
    await rejects(
      inTransaction(db, (tx) =>
        upsertBillingAccount(tx, workspace.system, { customerId, source: 'ledger', externalId: null, currency: 'EURO' }),
      ),
      'billing.invalid_currency',
    );
    await rejects(
      inTransaction(db, (tx) =>
        upsertPayment(tx, workspace.system, {
          accountId: account.id,
          externalId: null,
          amountMinor: 100,
          currency: 'EUR',
          status: 'succeeded',
          methodSummary: '4242 4242 4242 4242',
          paidAt: null,
          sourceEventAt: null,
        }),
      ),
      'billing.card_number_refused',
    );
  });
});

describe('getCustomerBillingSignals', () => {
  it('reports the recent failed payment and refund within the window only', async () => {
    const { db, workspace, customerId, agent } = await billingWorld();
    const sys = workspace.system;
    expect(await getCustomerBillingSignals(db, agent.actor, customerId)).toEqual({ failedPayment: null, refund: null });
    const { accountId, paymentId } = await accountWithPayment(workspace, customerId, 3000);
    const old = {
      accountId,
      amountMinor: 900,
      currency: 'EUR',
      status: 'failed' as const,
      failureCode: 'expired_card',
      sourceEventAt: null,
    };
    await inTransaction(db, (tx) => upsertPayment(tx, sys, { ...old, externalId: unique('ch'), paidAt: new Date(Date.now() - 40 * DAY) }));
    expect((await getCustomerBillingSignals(db, agent.actor, customerId)).failedPayment).toBeNull();
    const recent = await inTransaction(db, (tx) =>
      upsertPayment(tx, sys, { ...old, externalId: unique('ch'), failureCode: 'card_declined', paidAt: new Date(Date.now() - 2 * DAY) }),
    );
    const refund = await inTransaction(db, (tx) =>
      upsertRefund(tx, sys, { paymentId, externalId: null, amountMinor: 1000, currency: 'EUR', status: 'succeeded', sourceEventAt: null }),
    );
    const signals = await getCustomerBillingSignals(db, agent.actor, customerId, { days: 30 });
    expect(signals.failedPayment).toMatchObject({ paymentId: recent.id, failureCode: 'card_declined', amountMinor: 900, currency: 'EUR' });
    expect(signals.refund).toMatchObject({ refundId: refund.id, paymentId, amountMinor: 1000 });
    expect((await getCustomerBillingSignals(db, agent.actor, customerId, { days: 1 })).failedPayment).toBeNull();
    const other = await createWorkspace();
    expect(await getCustomerBillingSignals(db, other.system, customerId)).toEqual({ failedPayment: null, refund: null });
  });
});
