import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { findPaymentByExternalId, upsertPayment } from '../service.js';
import type { PaymentStatus } from '../schema.js';
import type { StripeEventLookups } from './customer-lookup.js';
import { linkStripeCustomer, UnusableStripeEvent } from './link-customer.js';
import { dateOf, idOf, methodSummaryOf, type StripeChargeObject } from './stripe-objects.js';

/**
 * Charges from Stripe into Baton's payments (A's records; refunds: apply-refund.ts). Records drop
 * an event older than the one last applied; for events of the same second the status rank below
 * decides, so a late `pending` never undoes `succeeded`.
 */
const CHARGE_RANK: Record<PaymentStatus, number> = { pending: 0, failed: 1, succeeded: 2 };

export function chargeStatus(status: string | undefined): PaymentStatus {
  if (status === 'succeeded' || status === 'failed' || status === 'pending') return status;
  throw new UnusableStripeEvent(`Unknown charge status "${status ?? ''}"`);
}

export function requireAmount(amount: number | undefined, what: string): number {
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0) {
    throw new UnusableStripeEvent(`The ${what} has no positive amount`);
  }
  return amount;
}

export function requireCurrency(currency: string | undefined, what: string): string {
  if (!currency) throw new UnusableStripeEvent(`The ${what} has no currency`);
  return currency;
}

const sameSecond = (a: Date | null, b: Date) => a !== null && a.getTime() === b.getTime();

export interface AppliedPayment {
  paymentId: string;
  accountId: string;
  changed: boolean;
}

export async function applyCharge(
  tx: Db,
  actor: Actor,
  charge: StripeChargeObject,
  eventAt: Date,
  lookups?: StripeEventLookups,
): Promise<AppliedPayment> {
  const amount = requireAmount(charge.amount, 'charge');
  const currency = requireCurrency(charge.currency, 'charge');
  const status = chargeStatus(charge.status);
  const existing = await findPaymentByExternalId(tx, actor, charge.id);
  if (existing && sameSecond(existing.source_event_at, eventAt) && CHARGE_RANK[existing.status] > CHARGE_RANK[status]) {
    return { paymentId: existing.id, accountId: existing.account_id, changed: false };
  }
  // A charge already recorded keeps its account; a new one is linked by customer id, then email.
  const accountId =
    existing?.account_id ??
    (
      await linkStripeCustomer(tx, actor, {
        stripeCustomerId: idOf(charge.customer),
        email: charge.billing_details?.email ?? charge.receipt_email,
        name: charge.billing_details?.name,
        currency,
        lookups,
      })
    ).accountId;
  const result = await upsertPayment(tx, actor, {
    accountId,
    externalId: charge.id,
    processorReference: idOf(charge.payment_intent),
    amountMinor: amount,
    currency,
    status,
    methodSummary: methodSummaryOf(charge),
    failureCode: charge.failure_code ?? null,
    failureMessage: charge.failure_message ?? null,
    paidAt: dateOf(charge.created),
    sourceEventAt: eventAt,
  });
  return { paymentId: result.id, accountId, changed: result.changed };
}
