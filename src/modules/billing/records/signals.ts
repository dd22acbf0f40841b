import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { authorizeBillingRead } from './access.js';
import { selectLatestFailedPayment, selectLatestRefund } from './signals-store.js';

export interface FailedPaymentSignal {
  paymentId: string;
  accountId: string;
  invoiceId: string | null;
  amountMinor: number;
  currency: string;
  failureCode: string | null;
  failureMessage: string | null;
  at: Date;
}

export interface RefundSignal {
  refundId: string;
  paymentId: string;
  amountMinor: number;
  currency: string;
  status: string;
  at: Date;
}

export interface CustomerBillingSignals {
  failedPayment: FailedPaymentSignal | null;
  refund: RefundSignal | null;
}

/**
 * What triage and outreach need to know about a customer's money lately: the latest failed
 * payment and the latest refund within `days` (default 30). A customer of another workspace
 * simply has none.
 */
export async function getCustomerBillingSignals(
  db: Db,
  actor: Actor,
  customerId: string,
  options: { days?: number } = {},
): Promise<CustomerBillingSignals> {
  authorizeBillingRead(actor);
  const days = options.days ?? 30;
  const since = new Date(Date.now() - days * 86_400_000);
  const failed = await selectLatestFailedPayment(db, actor, customerId, since);
  const refund = await selectLatestRefund(db, actor, customerId, since);
  return {
    failedPayment: failed
      ? {
          paymentId: failed.id,
          accountId: failed.account_id,
          invoiceId: failed.invoice_id,
          amountMinor: failed.amount_minor,
          currency: failed.currency,
          failureCode: failed.failure_code,
          failureMessage: failed.failure_message,
          at: failed.paid_at,
        }
      : null,
    refund: refund
      ? {
          refundId: refund.id,
          paymentId: refund.payment_id,
          amountMinor: refund.amount_minor,
          currency: refund.currency,
          status: refund.status,
          at: refund.created_at,
        }
      : null,
  };
}
