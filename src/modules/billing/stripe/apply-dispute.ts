import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { recordProcessorDispute } from '../../disputes/service.js';
import { findPaymentByExternalId } from '../service.js';
import { customerOfAccount, linkStripeCustomer, UnusableStripeEvent, type LinkedAccount } from './link-customer.js';
import { dateOf, idOf, type StripeChargeObject, type StripeDisputeObject } from './stripe-objects.js';

/** Withdrawn and reinstated amounts from the dispute's balance transactions (fees excluded). */
function fundsOf(dispute: StripeDisputeObject, eventType: string, amount: number): { withdrawn?: number; reinstated?: number } {
  const transactions = Array.isArray(dispute.balance_transactions) ? dispute.balance_transactions : [];
  let withdrawn = 0;
  let reinstated = 0;
  for (const t of transactions) {
    if (typeof t?.amount !== 'number' || !Number.isSafeInteger(t.amount)) continue;
    if (t.amount < 0) withdrawn += -t.amount;
    else reinstated += t.amount;
  }
  // Without the transactions embedded, the event itself says what moved: the disputed amount.
  if (eventType === 'charge.dispute.funds_withdrawn' && withdrawn === 0) withdrawn = amount;
  if (eventType === 'charge.dispute.funds_reinstated' && reinstated === 0) reinstated = amount;
  return {
    ...(withdrawn > 0 ? { withdrawn } : {}),
    ...(reinstated > 0 ? { reinstated } : {}),
  };
}

/**
 * charge.dispute.*: the payment is found by its charge id (or, with the charge expanded, the
 * customer by id or email); the disputes module opens or updates the dispute and its case, and
 * keeps a final status (won/lost) final whatever order the events arrive in.
 */
export async function applyDispute(tx: Db, actor: Actor, dispute: StripeDisputeObject, eventType: string, eventAt: Date): Promise<void> {
  const amount = dispute.amount;
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0)
    throw new UnusableStripeEvent('The dispute has no positive amount');
  if (!dispute.currency) throw new UnusableStripeEvent('The dispute has no currency');
  if (!dispute.status) throw new UnusableStripeEvent('The dispute has no status');
  const chargeId = idOf(dispute.charge);
  const payment = chargeId ? await findPaymentByExternalId(tx, actor, chargeId) : undefined;
  let linked: LinkedAccount;
  if (payment) {
    linked = await customerOfAccount(tx, actor, payment.account_id);
  } else if (dispute.charge && typeof dispute.charge === 'object') {
    const charge = dispute.charge as StripeChargeObject;
    linked = await linkStripeCustomer(tx, actor, {
      stripeCustomerId: idOf(charge.customer),
      email: charge.billing_details?.email ?? charge.receipt_email,
      name: charge.billing_details?.name,
      currency: dispute.currency,
    });
  } else {
    throw new UnusableStripeEvent(`The disputed charge ${chargeId ?? '(none)'} is not known to Baton`);
  }
  const funds = fundsOf(dispute, eventType, amount);
  await recordProcessorDispute(tx, actor, {
    source: 'stripe',
    externalId: dispute.id,
    chargeExternalId: chargeId,
    customerId: linked.customerId,
    accountId: linked.accountId,
    paymentId: payment?.id ?? null,
    amountMinor: amount,
    currency: dispute.currency,
    reason: dispute.reason ?? 'general',
    networkReasonCode: dispute.payment_method_details?.card?.network_reason_code ?? dispute.network_reason_code ?? null,
    status: dispute.status,
    evidenceDueAt: dateOf(dispute.evidence_details?.due_by),
    eventAt,
    ...(funds.withdrawn !== undefined ? { fundsWithdrawnMinor: funds.withdrawn } : {}),
    ...(funds.reinstated !== undefined ? { fundsReinstatedMinor: funds.reinstated } : {}),
  });
}
