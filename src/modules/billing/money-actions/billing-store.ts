import { sql } from 'kysely';
import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { workspaceScope } from '../../../platform/authorization.js';
import type { RefundStatus } from '../schema.js';

/**
 * The billing rows a money action reads and moves: payments (refunds), invoices (fee waivers),
 * accounts (credits). The database guards the money: the billing_refunds trigger and the CHECK
 * `billing_payments_refund_within_paid` refuse an over-refund, `amount_due_minor >= 0` an
 * over-waiver and `credit_balance_minor >= 0` a negative balance.
 */

export async function selectPayment(db: Db, actor: Actor, id: string) {
  return db
    .selectFrom('billing_payments as p')
    .innerJoin('billing_accounts as a', 'a.id', 'p.account_id')
    .select([
      'p.id',
      'p.account_id',
      'a.customer_id',
      'p.external_id',
      'p.amount_minor',
      'p.refunded_minor',
      'p.currency',
      'p.status',
      'p.disputed',
    ])
    .where('p.workspace_id', '=', workspaceScope(actor))
    .where('p.id', '=', id)
    .executeTakeFirst();
}

export async function selectInvoice(db: Db, actor: Actor, id: string, options: { forUpdate?: boolean } = {}) {
  let query = db
    .selectFrom('billing_invoices as i')
    .innerJoin('billing_accounts as a', 'a.id', 'i.account_id')
    .select(['i.id', 'i.account_id', 'a.customer_id', 'i.status', 'i.currency', 'i.amount_due_minor'])
    .where('i.workspace_id', '=', workspaceScope(actor))
    .where('i.id', '=', id);
  if (options.forUpdate) query = query.forUpdate('i');
  return query.executeTakeFirst();
}

/** Fee lines of an invoice and what fee waivers already took from them (null: no fee lines). */
export async function selectWaivableFees(db: Db, actor: Actor, invoiceId: string): Promise<{ fees: number; waived: number } | null> {
  const workspaceId = workspaceScope(actor);
  const row = await sql<{ fee_lines: number; fees: number; waived: number }>`
    select
      (select count(*)::int from billing_invoice_lines
        where workspace_id = ${workspaceId} and invoice_id = ${invoiceId} and is_fee) as fee_lines,
      (select coalesce(sum(amount_minor), 0)::int8 from billing_invoice_lines
        where workspace_id = ${workspaceId} and invoice_id = ${invoiceId} and is_fee) as fees,
      (select coalesce(sum(amount_minor), 0)::int8 from billing_credits
        where workspace_id = ${workspaceId} and invoice_id = ${invoiceId} and kind = 'fee_waiver') as waived`.execute(db);
  const r = row.rows[0]!;
  return r.fee_lines === 0 ? null : { fees: Number(r.fees), waived: Number(r.waived) };
}

export async function selectAccount(db: Db, actor: Actor, id: string) {
  return db
    .selectFrom('billing_accounts')
    .select(['id', 'customer_id', 'currency', 'external_id'])
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function selectAccountsOfCustomerInCurrency(db: Db, actor: Actor, customerId: string, currency: string) {
  return db
    .selectFrom('billing_accounts')
    .select(['id', 'customer_id', 'currency', 'external_id'])
    .where('workspace_id', '=', workspaceScope(actor))
    .where('customer_id', '=', customerId)
    .where('currency', '=', currency)
    .orderBy('created_at')
    .limit(2)
    .execute();
}

/** A pending refund: the trigger adds it to the payment's refunded_minor (reserves it) or fails. */
export async function insertPendingRefund(
  tx: Db,
  actor: Actor,
  values: { accountId: string; paymentId: string; moneyActionId: string; amountMinor: number; currency: string; reason: string },
): Promise<{ id: string }> {
  return tx
    .insertInto('billing_refunds')
    .values({
      workspace_id: workspaceScope(actor),
      account_id: values.accountId,
      payment_id: values.paymentId,
      money_action_id: values.moneyActionId,
      amount_minor: values.amountMinor,
      currency: values.currency,
      status: 'pending',
      reason: values.reason,
      source_event_at: null,
      external_id: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export async function selectRefundOfAction(db: Db, actor: Actor, moneyActionId: string) {
  return db
    .selectFrom('billing_refunds as r')
    .innerJoin('billing_payments as p', 'p.id', 'r.payment_id')
    .select(['r.id', 'r.status', 'r.payment_id', 'r.account_id', 'p.external_id as payment_external_id'])
    .where('r.workspace_id', '=', workspaceScope(actor))
    .where('r.money_action_id', '=', moneyActionId)
    .executeTakeFirst();
}

/** Our refund row as the settlement reads it (locked: a webhook and the job may settle at once). */
export async function lockRefundOfAction(tx: Db, actor: Actor, moneyActionId: string) {
  return tx
    .selectFrom('billing_refunds')
    .select(['id', 'status', 'payment_id', 'external_id', 'money_action_id'])
    .where('workspace_id', '=', workspaceScope(actor))
    .where('money_action_id', '=', moneyActionId)
    .forUpdate()
    .executeTakeFirst();
}

/** The money action a refund row executes, if any (a processor webhook settling it). */
export async function selectRefundSettlement(db: Db, actor: Actor, refundId: string) {
  return db
    .selectFrom('billing_refunds')
    .select(['id', 'status', 'money_action_id', 'external_id'])
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', '=', refundId)
    .executeTakeFirst();
}

/**
 * Settles our pending refund (a failed one gives its reservation back through the trigger); a
 * refund a processor webhook already settled keeps its status. True when the row changed.
 */
export async function settleRefund(
  tx: Db,
  actor: Actor,
  refundId: string,
  outcome: { status: RefundStatus; externalId: string | null },
): Promise<boolean> {
  const result = await tx
    .updateTable('billing_refunds')
    .set({
      status: outcome.status,
      // A processor webhook may have stored the processor's id already: keep it.
      external_id: sql<string | null>`coalesce(external_id, ${outcome.externalId})`,
      updated_at: sql<Date>`now()`,
    })
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', '=', refundId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function insertCredit(
  tx: Db,
  actor: Actor,
  values: {
    id: string;
    accountId: string;
    kind: 'credit' | 'fee_waiver';
    amountMinor: number;
    currency: string;
    invoiceId: string | null;
    moneyActionId: string;
    externalId: string | null;
    reason: string;
  },
): Promise<void> {
  await tx
    .insertInto('billing_credits')
    .values({
      id: values.id,
      workspace_id: workspaceScope(actor),
      account_id: values.accountId,
      kind: values.kind,
      amount_minor: values.amountMinor,
      currency: values.currency,
      invoice_id: values.invoiceId,
      money_action_id: values.moneyActionId,
      external_id: values.externalId,
      reason: values.reason,
    })
    .execute();
}

export async function addCreditBalance(tx: Db, actor: Actor, accountId: string, amountMinor: number): Promise<void> {
  await tx
    .updateTable('billing_accounts')
    .set({ credit_balance_minor: sql<number>`credit_balance_minor + ${amountMinor}`, updated_at: sql<Date>`now()` })
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', '=', accountId)
    .execute();
}

/** Lowers what an invoice still asks for; an open invoice with nothing left due is paid. */
export async function lowerAmountDue(tx: Db, actor: Actor, invoiceId: string, amountMinor: number): Promise<void> {
  await tx
    .updateTable('billing_invoices')
    .set({
      amount_due_minor: sql<number>`amount_due_minor - ${amountMinor}`,
      status: sql`case when amount_due_minor - ${amountMinor} = 0 and status = 'open' then 'paid' else status end`,
      paid_at: sql`case when amount_due_minor - ${amountMinor} = 0 and status = 'open' then coalesce(paid_at, now()) else paid_at end`,
      updated_at: sql<Date>`now()`,
    })
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', '=', invoiceId)
    .execute();
}
