import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { AppError } from '../../../platform/errors.js';
import { settleMoneyActionOfRefund } from '../money-actions/service.js';
import type { RefundStatus } from '../schema.js';
import {
  findPaymentByExternalId,
  findRefundByExternalId,
  getRefund,
  listRefundsOfPayment,
  upsertRefund,
  type PaymentRow,
  type RefundRow,
} from '../service.js';
import { applyCharge, requireAmount, requireCurrency } from './apply-charge.js';
import type { StripeEventLookups } from './customer-lookup.js';
import { UnusableStripeEvent } from './link-customer.js';
import { stripeRefundStatus } from './stripe-connector.js';
import { idOf, type StripeChargeObject, type StripeRefundObject } from './stripe-objects.js';

/**
 * Refunds from Stripe into Baton's refunds (A's records), each counted once:
 * - a refund Baton created (a money action) carries `baton_refund_id`: its events update that row,
 *   and its final status completes or fails the money action (a `pending` refund's action waits
 *   as `processing` until then);
 * - `charge.refunded` without the refunds list (newer API versions) only says `amount_refunded`:
 *   what Baton has not recorded is added as one placeholder refund keyed `<charge>:refunded:<total>`.
 *   A refund reported later that was not counted yet (e.g. Baton's own, after its job gave up
 *   while Stripe did refund) takes the placeholder's place instead of adding to it.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const counts = (status: RefundStatus) => status === 'pending' || status === 'succeeded';
const placeholderPrefix = (chargeId: string) => `${chargeId}:refunded:`;

type RefundedPayment = Pick<PaymentRow, 'id' | 'currency' | 'external_id'>;

/** Our own refund row when Stripe echoes `baton_refund_id` and it belongs to this payment. */
async function batonRefundOf(tx: Db, actor: Actor, refund: StripeRefundObject, paymentId: string): Promise<RefundRow | undefined> {
  const id = refund.metadata?.baton_refund_id;
  if (!id || !UUID.test(id)) return undefined;
  try {
    const row = await getRefund(tx, actor, id);
    return row.payment_id === paymentId ? row : undefined;
  } catch (error) {
    if (error instanceof AppError && error.kind === 'not_found') return undefined;
    throw error;
  }
}

/**
 * Before a refund starts counting against its payment, placeholders of the same charge give way
 * by that amount (newest first): the placeholder stood for refunds Baton had not seen, and this is
 * one of them. Skipped when the upsert will not apply (an older event than the row's last).
 */
async function absorbPlaceholders(
  tx: Db,
  actor: Actor,
  payment: RefundedPayment,
  existing: RefundRow | undefined,
  incoming: { amountMinor: number; status: RefundStatus; eventAt: Date },
): Promise<void> {
  if (!payment.external_id) return;
  if (existing?.source_event_at && incoming.eventAt.getTime() < existing.source_event_at.getTime()) return;
  const before = existing && counts(existing.status) ? existing.amount_minor : 0;
  let uncounted = (counts(incoming.status) ? incoming.amountMinor : 0) - before;
  if (uncounted <= 0) return;
  const prefix = placeholderPrefix(payment.external_id);
  const placeholders = (await listRefundsOfPayment(tx, actor, payment.id)).filter(
    (r) => r.external_id?.startsWith(prefix) && counts(r.status) && r.id !== existing?.id,
  );
  for (const placeholder of placeholders) {
    if (uncounted <= 0) break;
    const taken = Math.min(uncounted, placeholder.amount_minor);
    uncounted -= taken;
    const whole = taken === placeholder.amount_minor;
    await upsertRefund(tx, actor, {
      paymentId: payment.id,
      externalId: placeholder.external_id,
      // A row keeps a positive amount: a placeholder taken whole is canceled instead.
      amountMinor: whole ? placeholder.amount_minor : placeholder.amount_minor - taken,
      currency: placeholder.currency,
      status: whole ? 'canceled' : placeholder.status,
      reason: 'Recorded from Stripe; replaced by the refund Stripe reported later',
      sourceEventAt: null,
    });
  }
}

export async function applyRefund(tx: Db, actor: Actor, refund: StripeRefundObject, payment: RefundedPayment, eventAt: Date) {
  const amount = requireAmount(refund.amount, 'refund');
  const status = stripeRefundStatus(refund.status);
  const ours = await batonRefundOf(tx, actor, refund, payment.id);
  const existing = ours ?? (await findRefundByExternalId(tx, actor, refund.id));
  await absorbPlaceholders(tx, actor, payment, existing, { amountMinor: amount, status, eventAt });
  const result = await upsertRefund(tx, actor, {
    paymentId: payment.id,
    externalId: refund.id,
    amountMinor: amount,
    currency: refund.currency ?? payment.currency,
    status,
    reason: refund.reason ?? null,
    sourceEventAt: eventAt,
    refundId: ours?.id ?? null,
  });
  // Baton's own refund reached its final status: its money action follows.
  if (result.changed) await settleMoneyActionOfRefund(tx, actor, result.id, { failureReason: refund.failure_reason ?? null });
  return result;
}

/**
 * charge.refunded: older API versions embed the refunds (matched by `baton_refund_id`, then by
 * refund id); newer ones only say `amount_refunded`, so what Baton has not recorded yet is added
 * as one succeeded placeholder refund keyed by the charge and the refunded total (a replay adds
 * nothing). Baton's own refunds count from the moment they are reserved (pending), so a refund
 * Baton created and Stripe reports back here is never counted twice.
 */
export async function applyRefundedCharge(
  tx: Db,
  actor: Actor,
  charge: StripeChargeObject,
  eventAt: Date,
  lookups?: StripeEventLookups,
): Promise<void> {
  const applied = await applyCharge(tx, actor, charge, eventAt, lookups);
  const currency = requireCurrency(charge.currency, 'charge');
  for (const refund of charge.refunds?.data ?? []) {
    if (refund && typeof refund.id === 'string') {
      await applyRefund(tx, actor, refund, { id: applied.paymentId, currency, external_id: charge.id }, eventAt);
    }
  }
  const payment = await findPaymentByExternalId(tx, actor, charge.id);
  const refundedTotal = charge.amount_refunded ?? 0;
  if (!payment || !Number.isSafeInteger(refundedTotal) || refundedTotal <= payment.refunded_minor) return;
  await upsertRefund(tx, actor, {
    paymentId: payment.id,
    externalId: `${placeholderPrefix(charge.id)}${refundedTotal}`,
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
