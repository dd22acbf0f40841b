import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { authorizeBillingRead } from './access.js';
import { selectLatestSignals } from './signals-store.js';

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
 * payment within `days` (default 30) and the latest refund within `refundDays` (default `days`).
 * A customer of another workspace simply has none.
 */
export async function getCustomerBillingSignals(
  db: Db,
  actor: Actor,
  customerId: string,
  options: { days?: number; refundDays?: number } = {},
): Promise<CustomerBillingSignals> {
  authorizeBillingRead(actor);
  const days = options.days ?? 30;
  const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);
  const row = await selectLatestSignals(db, actor, customerId, {
    failedPayment: daysAgo(days),
    refund: daysAgo(options.refundDays ?? days),
  });
  return {
    failedPayment:
      row.payment_id !== null
        ? {
            paymentId: row.payment_id,
            accountId: row.payment_account_id!,
            invoiceId: row.payment_invoice_id,
            amountMinor: row.payment_amount_minor!,
            currency: row.payment_currency!,
            failureCode: row.payment_failure_code,
            failureMessage: row.payment_failure_message,
            at: row.payment_paid_at!,
          }
        : null,
    refund:
      row.refund_id !== null
        ? {
            refundId: row.refund_id,
            paymentId: row.refund_payment_id!,
            amountMinor: row.refund_amount_minor!,
            currency: row.refund_currency!,
            status: row.refund_status!,
            at: row.refund_created_at!,
          }
        : null,
  };
}
