import { sql } from 'kysely';
import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { authorizeBillingRead } from './access.js';

/**
 * A customer's latest failed payment since `failedSince` (partial index billing_payments_failed)
 * and latest refund (pending or succeeded) since `refundSince`, in one statement: billing triage
 * asks this for every new case, and most customers have neither.
 */
export async function selectLatestSignals(db: Db, actor: Actor, customerId: string, since: { failedPayment: Date; refund: Date }) {
  authorizeBillingRead(actor, 'payment');
  authorizeBillingRead(actor, 'refund');
  const workspaceId = actor.workspaceId;
  const result = await sql<{
    payment_id: string | null;
    payment_account_id: string | null;
    payment_invoice_id: string | null;
    payment_amount_minor: number | null;
    payment_currency: string | null;
    payment_failure_code: string | null;
    payment_failure_message: string | null;
    payment_paid_at: Date | null;
    refund_id: string | null;
    refund_payment_id: string | null;
    refund_amount_minor: number | null;
    refund_currency: string | null;
    refund_status: string | null;
    refund_created_at: Date | null;
  }>`
    select f.id as payment_id, f.account_id as payment_account_id, f.invoice_id as payment_invoice_id,
      f.amount_minor as payment_amount_minor, f.currency as payment_currency, f.failure_code as payment_failure_code,
      f.failure_message as payment_failure_message, f.paid_at as payment_paid_at,
      r.id as refund_id, r.payment_id as refund_payment_id, r.amount_minor as refund_amount_minor,
      r.currency as refund_currency, r.status as refund_status, r.created_at as refund_created_at
    from (select 1) as one
    left join lateral (
      select p.id, p.account_id, p.invoice_id, p.amount_minor, p.currency, p.failure_code, p.failure_message, p.paid_at
      from billing_payments p join billing_accounts a on a.id = p.account_id
      where p.workspace_id = ${workspaceId} and a.workspace_id = ${workspaceId} and a.customer_id = ${customerId}
        and p.status = 'failed' and p.paid_at >= ${since.failedPayment}
      order by p.paid_at desc, p.id desc limit 1) f on true
    left join lateral (
      select r.id, r.payment_id, r.amount_minor, r.currency, r.status, r.created_at
      from billing_refunds r join billing_accounts a on a.id = r.account_id
      where r.workspace_id = ${workspaceId} and a.workspace_id = ${workspaceId} and a.customer_id = ${customerId}
        and r.status in ('pending', 'succeeded') and r.created_at >= ${since.refund}
      order by r.created_at desc, r.id desc limit 1) r on true`.execute(db);
  return result.rows[0]!;
}
