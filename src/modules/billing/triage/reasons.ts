import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { countOpenDisputesOfCustomer } from '../../disputes/service.js';
import { formatMoney } from '../money.js';
import { getCustomerBillingSignals } from '../service.js';
import type { TriageSettings, TriageSignal } from './settings.js';

/**
 * Why a new case is billing-relevant: the customer's recent failed payment, an open dispute, a
 * recent refund, each with a sentence the agent reads ("Payment of 49.90 EUR failed on
 * 2026-11-20: card_declined") and the record it is about.
 */
export interface TriageReason {
  signal: TriageSignal;
  detail: string;
  payment_id?: string;
  refund_id?: string;
  open_disputes?: number;
}

export const SIGNAL_TAGS: Record<TriageSignal, string> = {
  failed_payment: 'billing:failed-payment',
  open_dispute: 'billing:open-dispute',
  recent_refund: 'billing:recent-refund',
};

const day = (date: Date) => date.toISOString().slice(0, 10);
/** Refunds that did not happen are no signal. */
const REFUND_COUNTS = new Set(['pending', 'succeeded']);

export async function triageReasons(db: Db, actor: Actor, customerId: string, settings: TriageSettings): Promise<TriageReason[]> {
  const signals = await getCustomerBillingSignals(db, actor, customerId, {
    days: settings.failed_payment_days,
    refundDays: settings.refund_days,
  });
  const openDisputes = await countOpenDisputesOfCustomer(db, actor, customerId);
  const reasons: TriageReason[] = [];
  const failed = signals.failedPayment;
  if (failed) {
    reasons.push({
      signal: 'failed_payment',
      detail: `Payment of ${formatMoney(failed.amountMinor, failed.currency)} failed on ${day(failed.at)}: ${failed.failureCode ?? failed.failureMessage ?? 'no reason given'}`,
      payment_id: failed.paymentId,
    });
  }
  if (openDisputes > 0) {
    reasons.push({
      signal: 'open_dispute',
      detail: openDisputes === 1 ? 'The customer has an open dispute' : `The customer has ${openDisputes} open disputes`,
      open_disputes: openDisputes,
    });
  }
  const refund = signals.refund;
  if (refund && REFUND_COUNTS.has(refund.status)) {
    reasons.push({
      signal: 'recent_refund',
      detail: `Refund of ${formatMoney(refund.amountMinor, refund.currency)} on ${day(refund.at)} (${refund.status})`,
      refund_id: refund.refundId,
      payment_id: refund.paymentId,
    });
  }
  return reasons;
}
