import { sql } from 'kysely';
import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { authorizeBillingRead } from '../records/access.js';
import type { CreditRow, InvoiceRow, PaymentRow, RefundRow, SubscriptionRow } from '../records/rows.js';

/**
 * The reads behind a customer's billing state: one query per list over all of the customer's
 * accounts (no query per account or per invoice), newest first, `limit` rows each.
 */

export async function selectSubscriptionsOfAccounts(
  db: Db,
  actor: Actor,
  accountIds: readonly string[],
  limit: number,
): Promise<SubscriptionRow[]> {
  authorizeBillingRead(actor, 'subscription');
  if (accountIds.length === 0) return [];
  return db
    .selectFrom('billing_subscriptions')
    .selectAll()
    .where('workspace_id', '=', actor.workspaceId)
    .where('account_id', 'in', [...accountIds])
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export async function selectInvoicesOfAccounts(db: Db, actor: Actor, accountIds: readonly string[], limit: number): Promise<InvoiceRow[]> {
  authorizeBillingRead(actor, 'invoice');
  if (accountIds.length === 0) return [];
  return db
    .selectFrom('billing_invoices')
    .selectAll()
    .where('workspace_id', '=', actor.workspaceId)
    .where('account_id', 'in', [...accountIds])
    .orderBy('issued_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export async function selectPaymentsOfAccounts(
  db: Db,
  actor: Actor,
  accountIds: readonly string[],
  options: { limit: number; status?: PaymentRow['status'] },
): Promise<PaymentRow[]> {
  authorizeBillingRead(actor, 'payment');
  if (accountIds.length === 0) return [];
  let query = db
    .selectFrom('billing_payments')
    .selectAll()
    .where('workspace_id', '=', actor.workspaceId)
    .where('account_id', 'in', [...accountIds]);
  if (options.status) query = query.where('status', '=', options.status);
  return query.orderBy('paid_at', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
}

export async function selectRefundsOfAccounts(db: Db, actor: Actor, accountIds: readonly string[], limit: number): Promise<RefundRow[]> {
  authorizeBillingRead(actor, 'refund');
  if (accountIds.length === 0) return [];
  return db
    .selectFrom('billing_refunds')
    .selectAll()
    .where('workspace_id', '=', actor.workspaceId)
    .where('account_id', 'in', [...accountIds])
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export async function selectCreditsOfAccounts(db: Db, actor: Actor, accountIds: readonly string[], limit: number): Promise<CreditRow[]> {
  authorizeBillingRead(actor, 'credit');
  if (accountIds.length === 0) return [];
  return db
    .selectFrom('billing_credits')
    .selectAll()
    .where('workspace_id', '=', actor.workspaceId)
    .where('account_id', 'in', [...accountIds])
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** What is still owed on open (and uncollectible) invoices, per currency, over all invoices. */
export async function sumOpenBalance(
  db: Db,
  actor: Actor,
  accountIds: readonly string[],
): Promise<{ currency: string; amount_minor: number }[]> {
  authorizeBillingRead(actor, 'invoice');
  if (accountIds.length === 0) return [];
  const rows = await db
    .selectFrom('billing_invoices')
    .select(['currency', sql<number>`sum(amount_due_minor)::int8`.as('amount_minor')])
    .where('workspace_id', '=', actor.workspaceId)
    .where('account_id', 'in', [...accountIds])
    .where('status', 'in', ['open', 'uncollectible'])
    .where('amount_due_minor', '>', 0)
    .groupBy('currency')
    .orderBy('currency')
    .execute();
  return rows.map((r) => ({ currency: r.currency, amount_minor: Number(r.amount_minor) }));
}
