import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { AppError } from '../../../platform/errors.js';
import { findPaymentByExternalId, getRefund, upsertPayment, upsertRefund, type PaymentRow } from '../service.js';
import type { PaymentStatus } from '../schema.js';
import { linkStripeCustomer, UnusableStripeEvent } from './link-customer.js';
import { stripeRefundStatus } from './stripe-connector.js';
import { dateOf, idOf, methodSummaryOf, type StripeChargeObject, type StripeRefundObject } from './stripe-objects.js';

/**
 * Charges and refunds from Stripe into Baton's payments and refunds (A's records). Records drop
 * an event older than the one last applied; for events of the same second the status rank below
 * decides, so a late `pending` never undoes `succeeded`.
 */
const CHARGE_RANK: Record<PaymentStatus, number> = { pending: 0, failed: 1, succeeded: 2 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function chargeStatus(status: string | undefined): PaymentStatus {
  if (status === 'succeeded' || status === 'failed' || status === 'pending') return status;
  throw new UnusableStripeEvent(`Unknown charge status "${status ?? ''}"`);
}

function requireAmount(amount: number | undefined, what: string): number {
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0) {
    throw new UnusableStripeEvent(`The ${what} has no positive amount`);
  }
  return amount;
}

function requireCurrency(currency: string | undefined, what: string): string {
  if (!currency) throw new UnusableStripeEvent(`The ${what} has no currency`);
  return currency;
}

const sameSecond = (a: Date | null, b: Date) => a !== null && a.getTime() === b.getTime();

export interface AppliedPayment {
  paymentId: string;
  accountId: string;
  changed: boolean;
}

export async function applyCharge(tx: Db, actor: Actor, charge: StripeChargeObject, eventAt: Date): Promise<AppliedPayment> {
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

/** Our own refund row when Stripe echoes `baton_refund_id` and it belongs to this payment. */
async function batonRefundOf(tx: Db, actor: Actor, refund: StripeRefundObject, paymentId: string): Promise<string | null> {
  const id = refund.metadata?.baton_refund_id;
  if (!id || !UUID.test(id)) return null;
  try {
    const row = await getRefund(tx, actor, id);
    return row.payment_id === paymentId ? row.id : null;
  } catch (error) {
    if (error instanceof AppError && error.kind === 'not_found') return null;
    throw error;
  }
}

export async function applyRefund(
  tx: Db,
  actor: Actor,
  refund: StripeRefundObject,
  payment: Pick<PaymentRow, 'id' | 'currency'>,
  eventAt: Date,
) {
  const amount = requireAmount(refund.amount, 'refund');
  return upsertRefund(tx, actor, {
    paymentId: payment.id,
    externalId: refund.id,
    amountMinor: amount,
    currency: refund.currency ?? payment.currency,
    status: stripeRefundStatus(refund.status),
    reason: refund.reason ?? null,
    sourceEventAt: eventAt,
    refundId: await batonRefundOf(tx, actor, refund, payment.id),
  });
}

/**
 * charge.refunded: older API versions embed the refunds (matched by `baton_refund_id`, then by
 * refund id); newer ones only say `amount_refunded`, so what Baton has not recorded yet is added
 * as one succeeded refund keyed by the charge and the refunded total (a replay adds nothing).
 */
export async function applyRefundedCharge(tx: Db, actor: Actor, charge: StripeChargeObject, eventAt: Date): Promise<void> {
  const applied = await applyCharge(tx, actor, charge, eventAt);
  const currency = requireCurrency(charge.currency, 'charge');
  for (const refund of charge.refunds?.data ?? []) {
    if (refund && typeof refund.id === 'string') await applyRefund(tx, actor, refund, { id: applied.paymentId, currency }, eventAt);
  }
  const payment = await findPaymentByExternalId(tx, actor, charge.id);
  const refundedTotal = charge.amount_refunded ?? 0;
  if (!payment || !Number.isSafeInteger(refundedTotal) || refundedTotal <= payment.refunded_minor) return;
  await upsertRefund(tx, actor, {
    paymentId: payment.id,
    externalId: `${charge.id}:refunded:${refundedTotal}`,
    amountMinor: refundedTotal - payment.refunded_minor,
    currency,
    status: 'succeeded',
    reason: 'Recorded from Stripe (charge.refunded without refund details)',
    sourceEventAt: eventAt,
  });
}

/** refund.created / refund.updated / refund.failed / charge.refund.updated: the refund object alone. */
export async function applyRefundEvent(tx: Db, actor: Actor, refund: StripeRefundObject, eventAt: Date): Promise<void> {
  const chargeId = idOf(refund.charge);
  const payment = chargeId ? await findPaymentByExternalId(tx, actor, chargeId) : undefined;
  if (!payment) throw new UnusableStripeEvent(`The refunded charge ${chargeId ?? '(none)'} is not known to Baton`);
  await applyRefund(tx, actor, refund, payment, eventAt);
}
