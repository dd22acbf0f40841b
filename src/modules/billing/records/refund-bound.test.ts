import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../../db/database.js';
import { AppError } from '../../../platform/errors.js';
import { getPayment, upsertRefund } from '../service.js';
import { accountWithPayment, api, billingWorld, expectStatus, type ErrorResponse } from '../test-support.js';

/**
 * Refunding more than was paid is refused by the database itself (trigger + CHECK
 * billing_payments_refund_within_paid), whatever code path writes the refund.
 */
describe('refund bound', () => {
  it('the CHECK fires for a refund inserted directly with SQL', async () => {
    const { db, workspace, customerId } = await billingWorld();
    const { accountId, paymentId } = await accountWithPayment(workspace, customerId, 5000);
    const insert = (amount: number) =>
      sql`insert into billing_refunds (workspace_id, account_id, payment_id, amount_minor, currency, status)
          values (${workspace.id}, ${accountId}, ${paymentId}, ${amount}, 'EUR', 'succeeded')`.execute(db);
    await insert(3000);
    const error = await insert(2001).then(
      () => null,
      (e: unknown) => e as { code?: string; constraint?: string; message?: string },
    );
    expect(error?.code).toBe('23514');
    expect(`${error?.constraint ?? ''} ${error?.message ?? ''}`).toContain('billing_payments_refund_within_paid');
    await insert(2000);
    expect((await getPayment(db, workspace.system, paymentId)).refunded_minor).toBe(5000);
  });

  it('answers 422 billing.refund_exceeds_payment through the ledger API', async () => {
    const { workspace, customerId, supervisor } = await billingWorld();
    const { paymentId } = await accountWithPayment(workspace, customerId, 5000);
    expectStatus(await api(supervisor, 'POST', '/billing/refunds', { payment_id: paymentId, amount_minor: 4000, currency: 'EUR' }), 201);
    const res = await api(supervisor, 'POST', '/billing/refunds', {
      payment_id: paymentId,
      amount_minor: 1001,
      currency: 'EUR',
      reason: 'goodwill',
    });
    expectStatus(res, 422);
    const body = res.json<ErrorResponse>();
    expect(body.error.code).toBe('billing.refund_exceeds_payment');
    expect(body.error.details).toMatchObject({ payment_id: paymentId, refundable_minor: 1000 });
    const payment = await api(supervisor, 'GET', `/billing/payments/${paymentId}`);
    expect(payment.json()).toMatchObject({ refunded_minor: 4000, refundable_minor: 1000 });
  });

  it('lets exactly one of two concurrent refunds through when together they exceed the payment', async () => {
    const { ctx, db, workspace, customerId } = await billingWorld();
    const { paymentId } = await accountWithPayment(workspace, customerId, 5000);
    let firstInserted!: () => void;
    const firstHasRowLock = new Promise<void>((resolve) => (firstInserted = resolve));
    const refund = (tx: typeof db) =>
      upsertRefund(tx, workspace.system, {
        paymentId,
        externalId: null,
        amountMinor: 3000,
        currency: 'EUR',
        status: 'pending',
        sourceEventAt: null,
      });
    const first = inTransaction(db, async (tx) => {
      const result = await refund(tx);
      firstInserted();
      // Hold the payment row lock a moment so the second refund really waits on it (PostgreSQL).
      await new Promise((resolve) => setTimeout(resolve, 300));
      return result;
    });
    let secondWaitedMs = 0;
    const second = (async () => {
      // On PostgreSQL this runs on its own pooled connection while the first is open; PGlite lends its one connection in turn.
      if (ctx.database.kind === 'postgres') await firstHasRowLock;
      const started = Date.now();
      try {
        return await inTransaction(db, refund);
      } finally {
        secondWaitedMs = Date.now() - started;
      }
    })();
    const results = await Promise.allSettled([first, second]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failure = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(failure.reason).toBeInstanceOf(AppError);
    expect((failure.reason as AppError).code).toBe('billing.refund_exceeds_payment');
    expect((await getPayment(db, workspace.system, paymentId)).refunded_minor).toBe(3000);
    const rows = await db.selectFrom('billing_refunds').select('id').where('payment_id', '=', paymentId).execute();
    expect(rows).toHaveLength(1);
    if (ctx.database.kind === 'postgres') expect(secondWaitedMs).toBeGreaterThanOrEqual(200);
  });

  it('two concurrent refunds that fit both succeed', async () => {
    const { db, workspace, customerId } = await billingWorld();
    const { paymentId } = await accountWithPayment(workspace, customerId, 5000);
    const refund = () =>
      inTransaction(db, (tx) =>
        upsertRefund(tx, workspace.system, {
          paymentId,
          externalId: null,
          amountMinor: 2500,
          currency: 'EUR',
          status: 'succeeded',
          sourceEventAt: null,
        }),
      );
    const results = await Promise.allSettled([refund(), refund()]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    expect((await getPayment(db, workspace.system, paymentId)).refunded_minor).toBe(5000);
  });
});
