import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { authorizeBillingRead } from './access.js';

/** The latest failed payment of a customer since a time (partial index billing_payments_failed). */
export async function selectLatestFailedPayment(db: Db, actor: Actor, customerId: string, since: Date) {
  authorizeBillingRead(actor, 'payment');
  return db
    .selectFrom('billing_payments as p')
    .innerJoin('billing_accounts as a', 'a.id', 'p.account_id')
    .select(['p.id', 'p.account_id', 'p.invoice_id', 'p.amount_minor', 'p.currency', 'p.failure_code', 'p.failure_message', 'p.paid_at'])
    .where('p.workspace_id', '=', actor.workspaceId)
    .where('a.workspace_id', '=', actor.workspaceId)
    .where('a.customer_id', '=', customerId)
    .where('p.status', '=', 'failed')
    .where('p.paid_at', '>=', since)
    .orderBy('p.paid_at', 'desc')
    .orderBy('p.id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The latest refund (pending or succeeded) of a customer since a time. */
export async function selectLatestRefund(db: Db, actor: Actor, customerId: string, since: Date) {
  authorizeBillingRead(actor, 'refund');
  return db
    .selectFrom('billing_refunds as r')
    .innerJoin('billing_accounts as a', 'a.id', 'r.account_id')
    .select(['r.id', 'r.payment_id', 'r.amount_minor', 'r.currency', 'r.status', 'r.created_at'])
    .where('r.workspace_id', '=', actor.workspaceId)
    .where('a.workspace_id', '=', actor.workspaceId)
    .where('a.customer_id', '=', customerId)
    .where('r.status', 'in', ['pending', 'succeeded'])
    .where('r.created_at', '>=', since)
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(1)
    .executeTakeFirst();
}
