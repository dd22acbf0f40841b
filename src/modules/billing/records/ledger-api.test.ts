import { describe, expect, it } from 'vitest';
import type { InvoiceView, PaymentView } from '../service.js';
import { api, billingWorld, createAgent, createWorkspace, eventsOf, expectStatus, unique, type ErrorResponse } from '../test-support.js';

async function ledgerAccount(supervisor: Parameters<typeof api>[0], customerId: string, currency = 'EUR') {
  const res = await api(supervisor, 'POST', '/billing/accounts', { customer_id: customerId, currency });
  expect([200, 201], res.body).toContain(res.statusCode);
  return res.json<{ id: string }>().id;
}

describe('ledger entry API', () => {
  it('is for supervisors and admins; posting an account again returns it', async () => {
    const { agent, supervisor, customerId } = await billingWorld();
    const refused = await api(agent, 'POST', '/billing/accounts', { customer_id: customerId, currency: 'EUR' });
    expectStatus(refused, 403);
    const created = await api(supervisor, 'POST', '/billing/accounts', {
      customer_id: customerId,
      currency: 'eur',
      name: 'Bea Billing',
      email: 'bea@example.test',
    });
    expectStatus(created, 201);
    expect(created.json()).toMatchObject({
      customer_id: customerId,
      source: 'ledger',
      currency: 'EUR',
      credit_balance_minor: 0,
      name: 'Bea Billing',
    });
    const again = await api(supervisor, 'POST', '/billing/accounts', { customer_id: customerId, currency: 'EUR' });
    expectStatus(again, 200);
    expect(again.json<{ id: string }>().id).toBe(created.json<{ id: string }>().id);
    const other = await createWorkspace();
    const outsider = await createAgent(other, { role: 'admin' });
    const foreign = await api(outsider, 'POST', '/billing/accounts', { customer_id: customerId, currency: 'EUR' });
    expectStatus(foreign, 404);
    expect(foreign.json<ErrorResponse>().error.code).toBe('customer.not_found');
  });

  it('refuses malformed money and unknown fields', async () => {
    const { supervisor, customerId } = await billingWorld();
    const accountId = await ledgerAccount(supervisor, customerId);
    const cases: [object, number][] = [
      [{ account_id: accountId, amount_minor: 12.5, currency: 'EUR', status: 'succeeded' }, 400],
      [{ account_id: accountId, amount_minor: 0, currency: 'EUR', status: 'succeeded' }, 400],
      [{ account_id: accountId, amount_minor: 100, currency: 'EURO', status: 'succeeded' }, 400],
      [{ account_id: accountId, amount_minor: 100, currency: 'EUR', status: 'refunded' }, 400],
      [{ account_id: accountId, amount_minor: 100, currency: 'EUR', status: 'succeeded', card_number: '4242' }, 400],
      [{ account_id: accountId, amount_minor: 100, currency: 'EUR', status: 'succeeded', method_summary: 'x'.repeat(101) }, 400],
      [{ account_id: accountId, amount_minor: 100, currency: 'EUR', status: 'succeeded', method_summary: '4242424242424242' }, 422],
    ];
    for (const [body, status] of cases) expectStatus(await api(supervisor, 'POST', '/billing/payments', body), status);
  });

  it('records invoices with lines and computes what is due; numbers are unique', async () => {
    const { supervisor, agent, customerId } = await billingWorld();
    const accountId = await ledgerAccount(supervisor, customerId);
    const number = unique('INV');
    const res = await api(supervisor, 'POST', '/billing/invoices', {
      account_id: accountId,
      number,
      status: 'open',
      currency: 'EUR',
      total_minor: 5490,
      amount_paid_minor: 1000,
      due_at: '2026-12-01T00:00:00Z',
      lines: [
        { description: 'Pro plan, monthly', unit_amount_minor: 4990 },
        { description: 'Late fee', unit_amount_minor: 500, is_fee: true },
      ],
    });
    expectStatus(res, 201);
    const invoice = res.json<InvoiceView>();
    expect(invoice).toMatchObject({
      number,
      status: 'open',
      total_minor: 5490,
      amount_paid_minor: 1000,
      amount_due_minor: 4490,
      due_at: '2026-12-01T00:00:00.000Z',
    });
    expect(invoice.lines.map((l) => [l.description, l.quantity, l.amount_minor, l.is_fee])).toEqual([
      ['Pro plan, monthly', 1, 4990, false],
      ['Late fee', 1, 500, true],
    ]);
    const read = await api(agent, 'GET', `/billing/invoices/${invoice.id}`);
    expectStatus(read, 200);
    expect(read.json()).toEqual(invoice);
    const taken = await api(supervisor, 'POST', '/billing/invoices', {
      account_id: accountId,
      number,
      status: 'draft',
      currency: 'EUR',
      total_minor: 100,
    });
    expectStatus(taken, 409);
    expect(taken.json<ErrorResponse>().error.code).toBe('billing.invoice_number_taken');
    const outsider = await createAgent(await createWorkspace());
    const hidden = await api(outsider, 'GET', `/billing/invoices/${invoice.id}`);
    expectStatus(hidden, 404);
    expect(hidden.json<ErrorResponse>().error.code).toBe('billing.invoice_not_found');
  });

  it('replays a create with the same Idempotency-Key and refuses the key for another body', async () => {
    const { supervisor, customerId, db } = await billingWorld();
    const accountId = await ledgerAccount(supervisor, customerId);
    const key = { 'idempotency-key': unique('key') };
    const body = { account_id: accountId, amount_minor: 4990, currency: 'EUR', status: 'succeeded', method_summary: 'Visa •••• 4242' };
    const first = await api(supervisor, 'POST', '/billing/payments', body, key);
    const second = await api(supervisor, 'POST', '/billing/payments', body, key);
    expectStatus(first, 201);
    expectStatus(second, 201);
    expect(second.json()).toEqual(first.json());
    const rows = await db.selectFrom('billing_payments').select('id').where('account_id', '=', accountId).execute();
    expect(rows).toHaveLength(1);
    const reused = await api(supervisor, 'POST', '/billing/payments', { ...body, amount_minor: 100 }, key);
    expectStatus(reused, 422);
    expect(reused.json<ErrorResponse>().error.code).toBe('idempotency.key_reused');

    const refundKey = { 'idempotency-key': unique('key') };
    const paymentId = first.json<PaymentView>().id;
    const refundBody = { payment_id: paymentId, amount_minor: 4000, currency: 'EUR' };
    expectStatus(await api(supervisor, 'POST', '/billing/refunds', refundBody, refundKey), 201);
    // The replay answers the first result instead of refusing a second 40.00 refund.
    expectStatus(await api(supervisor, 'POST', '/billing/refunds', refundBody, refundKey), 201);
    const payment = await api(supervisor, 'GET', `/billing/payments/${paymentId}`);
    expect(payment.json()).toMatchObject({ refunded_minor: 4000, refundable_minor: 990 });
  });

  it('changes a payment to failed (event for outreach) and keeps a refunded payment succeeded', async () => {
    const { supervisor, customerId } = await billingWorld();
    const accountId = await ledgerAccount(supervisor, customerId);
    const created = await api(supervisor, 'POST', '/billing/payments', {
      account_id: accountId,
      amount_minor: 2000,
      currency: 'EUR',
      status: 'pending',
    });
    const paymentId = created.json<PaymentView>().id;
    const failed = await api(supervisor, 'PATCH', `/billing/payments/${paymentId}`, {
      status: 'failed',
      failure_code: 'card_declined',
      failure_message: 'Your card has insufficient funds.',
    });
    expectStatus(failed, 200);
    expect(failed.json()).toMatchObject({ status: 'failed', failure_code: 'card_declined', refundable_minor: 0 });
    expect((await eventsOf(paymentId)).map((e) => e.type)).toEqual(['billing.payment_failed']);

    const paid = await api(supervisor, 'POST', '/billing/payments', {
      account_id: accountId,
      amount_minor: 2000,
      currency: 'EUR',
      status: 'succeeded',
    });
    const paidId = paid.json<PaymentView>().id;
    expectStatus(await api(supervisor, 'POST', '/billing/refunds', { payment_id: paidId, amount_minor: 500, currency: 'EUR' }), 201);
    const refused = await api(supervisor, 'PATCH', `/billing/payments/${paidId}`, { status: 'failed' });
    expectStatus(refused, 422);
    expect(refused.json<ErrorResponse>().error.code).toBe('billing.payment_has_refunds');
    const notRefundable = await api(supervisor, 'POST', '/billing/refunds', { payment_id: paymentId, amount_minor: 100, currency: 'EUR' });
    expectStatus(notRefundable, 422);
    expect(notRefundable.json<ErrorResponse>().error.code).toBe('billing.payment_not_refundable');
    const missing = await api(supervisor, 'PATCH', `/billing/payments/${crypto.randomUUID()}`, { status: 'failed' });
    expectStatus(missing, 404);
    expect(missing.json<ErrorResponse>().error.code).toBe('billing.payment_not_found');
  });

  it('records subscriptions and updates them by external id', async () => {
    const { supervisor, customerId } = await billingWorld();
    const accountId = await ledgerAccount(supervisor, customerId, 'USD');
    const externalId = unique('sub');
    const body = {
      account_id: accountId,
      plan_name: 'Team',
      status: 'active',
      price_minor: 9900,
      currency: 'USD',
      interval: 'year',
      external_id: externalId,
    };
    const first = await api(supervisor, 'POST', '/billing/subscriptions', body);
    expectStatus(first, 201);
    const second = await api(supervisor, 'POST', '/billing/subscriptions', { ...body, status: 'past_due' });
    expect(second.json()).toMatchObject({ id: first.json<{ id: string }>().id, status: 'past_due', interval: 'year', price_minor: 9900 });
  });
});
