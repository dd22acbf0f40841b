import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../../db/database.js';
import {
  STATE_LIST_LIMIT,
  upsertBillingAccount,
  upsertInvoice,
  upsertPayment,
  upsertRefund,
  upsertSubscription,
  type BillingStateView,
} from '../service.js';
import { api, billingWorld, createAgent, createWorkspace, DAY, expectStatus, unique, type ErrorResponse } from '../test-support.js';

describe('GET /customers/:id/billing', () => {
  it('shows the summary and the recent records of every account, newest first', async () => {
    const { db, workspace, agent, customerId } = await billingWorld();
    const sys = workspace.system;
    const ago = (days: number) => new Date(Date.now() - days * DAY);
    const ids = await inTransaction(db, async (tx) => {
      const eur = await upsertBillingAccount(tx, sys, { customerId, source: 'ledger', externalId: null, currency: 'EUR' });
      const usd = await upsertBillingAccount(tx, sys, { customerId, source: 'stripe', externalId: unique('cus'), currency: 'USD' });
      const sub = await upsertSubscription(tx, sys, {
        accountId: eur.id,
        externalId: null,
        planName: 'Pro',
        status: 'past_due',
        priceMinor: 4990,
        currency: 'EUR',
        interval: 'month',
        currentPeriodEnd: ago(-20),
        cancelAtPeriodEnd: false,
        sourceEventAt: null,
      });
      const open = await upsertInvoice(tx, sys, {
        accountId: eur.id,
        subscriptionId: sub.id,
        externalId: null,
        number: unique('INV'),
        status: 'open',
        currency: 'EUR',
        totalMinor: 5490,
        amountPaidMinor: 0,
        issuedAt: ago(3),
        dueAt: ago(-7),
        paidAt: null,
        lines: [
          { description: 'Pro plan', quantity: 1, unitAmountMinor: 4990, amountMinor: 4990 },
          { description: 'Late fee', quantity: 1, unitAmountMinor: 500, amountMinor: 500, isFee: true },
        ],
        sourceEventAt: null,
      });
      await upsertInvoice(tx, sys, {
        accountId: usd.id,
        externalId: unique('in'),
        number: unique('INV'),
        status: 'open',
        currency: 'USD',
        totalMinor: 1200,
        amountPaidMinor: 200,
        issuedAt: ago(10),
        dueAt: null,
        paidAt: null,
        sourceEventAt: null,
      });
      const paid = await upsertPayment(tx, sys, {
        accountId: eur.id,
        externalId: null,
        amountMinor: 4990,
        currency: 'EUR',
        status: 'succeeded',
        methodSummary: 'Visa •••• 4242',
        paidAt: ago(30),
        sourceEventAt: null,
      });
      const failed = await upsertPayment(tx, sys, {
        accountId: eur.id,
        invoiceId: open.id,
        externalId: null,
        amountMinor: 5490,
        currency: 'EUR',
        status: 'failed',
        failureCode: 'card_declined',
        failureMessage: 'insufficient_funds',
        paidAt: ago(2),
        sourceEventAt: null,
      });
      const refund = await upsertRefund(tx, sys, {
        paymentId: paid.id,
        externalId: null,
        amountMinor: 990,
        currency: 'EUR',
        status: 'succeeded',
        reason: 'goodwill',
        sourceEventAt: null,
      });
      await tx.updateTable('billing_accounts').set({ credit_balance_minor: 700 }).where('id', '=', usd.id).execute();
      await tx
        .insertInto('billing_credits')
        .values({ workspace_id: workspace.id, account_id: usd.id, kind: 'credit', amount_minor: 700, currency: 'USD', reason: 'outage' })
        .execute();
      return { eur: eur.id, usd: usd.id, sub: sub.id, open: open.id, paid: paid.id, failed: failed.id, refund: refund.id };
    });

    const res = await api(agent, 'GET', `/customers/${customerId}/billing`);
    expectStatus(res, 200);
    const state = res.json<BillingStateView>();
    expect(state.summary.open_balance).toEqual([
      { currency: 'EUR', amount_minor: 5490 },
      { currency: 'USD', amount_minor: 1000 },
    ]);
    expect(state.summary.credit_balance).toEqual([{ currency: 'USD', amount_minor: 700 }]);
    expect(state.summary.last_failed_payment).toMatchObject({ id: ids.failed, failure_code: 'card_declined', refundable_minor: 0 });
    expect(state.summary.open_disputes).toBe(0);
    expect(state.accounts.map((a) => a.id).sort()).toEqual([ids.eur, ids.usd].sort());
    expect(state.subscriptions).toMatchObject([{ id: ids.sub, status: 'past_due', plan_name: 'Pro', interval: 'month' }]);
    expect(state.invoices[0]).toMatchObject({ id: ids.open, amount_due_minor: 5490, subscription_id: ids.sub });
    expect(state.invoices[0]!.lines.map((l) => l.is_fee)).toEqual([false, true]);
    expect(state.invoices[1]!.lines).toEqual([]);
    expect(state.payments.map((p) => p.id)).toEqual([ids.failed, ids.paid]);
    expect(state.payments[1]).toMatchObject({ refunded_minor: 990, refundable_minor: 4000, method_summary: 'Visa •••• 4242' });
    expect(state.refunds).toMatchObject([{ id: ids.refund, payment_id: ids.paid, amount_minor: 990, reason: 'goodwill' }]);
    expect(state.credits).toMatchObject([{ kind: 'credit', amount_minor: 700, currency: 'USD' }]);
  });

  it('shows an empty state, limits each list, and hides customers of other workspaces', async () => {
    const { db, workspace, agent, customerId } = await billingWorld();
    const empty = await api(agent, 'GET', `/customers/${customerId}/billing`);
    expectStatus(empty, 200);
    expect(empty.json()).toEqual({
      summary: { open_balance: [], credit_balance: [], last_failed_payment: null, open_disputes: 0 },
      accounts: [],
      subscriptions: [],
      invoices: [],
      payments: [],
      refunds: [],
      credits: [],
    });
    await inTransaction(db, async (tx) => {
      const account = await upsertBillingAccount(tx, workspace.system, { customerId, source: 'ledger', externalId: null, currency: 'EUR' });
      for (let i = 0; i < STATE_LIST_LIMIT + 3; i++) {
        await upsertInvoice(tx, workspace.system, {
          accountId: account.id,
          externalId: null,
          number: unique('INV'),
          status: 'open',
          currency: 'EUR',
          totalMinor: 100,
          amountPaidMinor: 0,
          issuedAt: new Date(Date.now() - i * DAY),
          dueAt: null,
          paidAt: null,
          lines: [{ description: `Month ${i}`, quantity: 1, unitAmountMinor: 100, amountMinor: 100 }],
          sourceEventAt: null,
        });
      }
    });
    const state = (await api(agent, 'GET', `/customers/${customerId}/billing`)).json<BillingStateView>();
    expect(state.invoices).toHaveLength(STATE_LIST_LIMIT);
    expect(state.invoices.map((i) => i.lines[0]!.description)).toEqual(Array.from({ length: STATE_LIST_LIMIT }, (_, i) => `Month ${i}`));
    // The balance counts every open invoice, not only the listed ones.
    expect(state.summary.open_balance).toEqual([{ currency: 'EUR', amount_minor: (STATE_LIST_LIMIT + 3) * 100 }]);

    const outsider = await createAgent(await createWorkspace(), { role: 'admin' });
    const hidden = await api(outsider, 'GET', `/customers/${customerId}/billing`);
    expectStatus(hidden, 404);
    expect(hidden.json<ErrorResponse>().error.code).toBe('customer.not_found');
    expectStatus(await api(agent, 'GET', `/customers/${crypto.randomUUID()}/billing`), 404);
    expectStatus(await api(agent, 'GET', '/customers/not-a-uuid/billing'), 400);
  });
});
