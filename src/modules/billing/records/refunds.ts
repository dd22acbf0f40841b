import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { unprocessable } from '../../../platform/errors.js';
import { recordBillingEvent } from '../events.js';
import { assertMinorUnits, formatMoney, normalizeCurrency } from '../money.js';
import { REFUND_STATUSES, type RefundStatus } from '../schema.js';
import { authorizeBillingWrite, billingNotFound, eventApplies, isRefundBoundViolation, isUuid } from './access.js';
import { loadAccount } from './accounts-store.js';
import { selectPayment } from './payments-store.js';
import {
  insertRefundRow,
  lockRefund,
  selectRefund,
  selectRefundByExternalId,
  selectRefundsOfPayment,
  updateRefundRow,
} from './refunds-store.js';
import type { PaymentRow, RefundRow } from './rows.js';

export interface UpsertRefundInput {
  paymentId: string;
  externalId: string | null;
  amountMinor: number;
  currency: string;
  status: RefundStatus;
  reason?: string | null | undefined;
  sourceEventAt: Date | null;
  /** Baton's own refund row when known (a processor webhook echoing `baton_refund_id`). */
  refundId?: string | null | undefined;
  /** The money action this refund executes (money actions reserve a pending refund). */
  moneyActionId?: string | null | undefined;
}

export const refundExceedsPayment = (payment: PaymentRow, amountMinor: number) =>
  unprocessable(
    'billing.refund_exceeds_payment',
    `A refund of ${formatMoney(amountMinor, payment.currency)} is more than is left to refund on this payment`,
    {
      field: 'amount_minor',
      payment_id: payment.id,
      payment_amount_minor: payment.amount_minor,
      refundable_minor: Math.max(0, payment.amount_minor - payment.refunded_minor),
    },
  );

const paymentNotRefundable = (payment: PaymentRow) =>
  unprocessable('billing.payment_not_refundable', `Only a succeeded payment can be refunded (this one is ${payment.status})`, {
    field: 'payment_id',
    payment_id: payment.id,
  });

/**
 * Records a refund of a payment. The database is the guard against over-refunding: the trigger on
 * billing_refunds adds a pending or succeeded refund to the payment's refunded_minor and the
 * CHECK billing_payments_refund_within_paid fails the statement, so two racing refunds can never
 * both pass. That failure is reported as `billing.refund_exceeds_payment` (422).
 */
export async function upsertRefund(tx: Db, actor: Actor, input: UpsertRefundInput): Promise<{ id: string; changed: boolean }> {
  authorizeBillingWrite(actor, 'refund');
  const currency = normalizeCurrency(input.currency);
  assertMinorUnits(input.amountMinor, 'amount_minor');
  if (!REFUND_STATUSES.includes(input.status)) {
    throw unprocessable('billing.invalid_status', `"${input.status}" is not a refund status`, { field: 'status' });
  }
  if (!isUuid(input.paymentId)) throw billingNotFound('payment');
  const payment = await selectPayment(tx, actor, input.paymentId);
  if (!payment) throw billingNotFound('payment');
  if (payment.currency !== currency) {
    throw unprocessable('billing.currency_mismatch', `The payment was made in ${payment.currency}, not ${currency}`, { field: 'currency' });
  }
  const account = await loadAccount(tx, actor, payment.account_id);
  const reason = input.reason?.trim().slice(0, 1000) || null;
  try {
    let existing: RefundRow | undefined;
    if (input.refundId) {
      existing = isUuid(input.refundId) ? await lockRefund(tx, actor, { id: input.refundId }) : undefined;
      if (!existing || existing.payment_id !== payment.id) throw billingNotFound('refund');
    } else {
      const insertedId = await insertRefundRow(tx, actor, {
        account_id: account.id,
        payment_id: payment.id,
        money_action_id: input.moneyActionId ?? null,
        external_id: input.externalId,
        amount_minor: input.amountMinor,
        currency,
        status: input.status,
        reason,
        source_event_at: input.sourceEventAt,
      });
      if (insertedId) {
        await emitRefundRecorded(tx, actor, account.customer_id, {
          id: insertedId,
          payment,
          amountMinor: input.amountMinor,
          status: input.status,
        });
        return { id: insertedId, changed: true };
      }
      existing = await lockRefund(tx, actor, { externalId: input.externalId! });
      if (!existing) throw new Error('refund vanished between insert conflict and re-read');
      if (existing.payment_id !== payment.id)
        throw unprocessable('billing.payment_mismatch', 'This refund belongs to another payment', { field: 'payment_id' });
    }
    if (!eventApplies(input.sourceEventAt, existing.source_event_at)) return { id: existing.id, changed: false };
    await updateRefundRow(tx, actor, existing.id, {
      external_id: input.externalId ?? existing.external_id,
      amount_minor: input.amountMinor,
      status: input.status,
      reason: reason ?? existing.reason,
      source_event_at: input.sourceEventAt ?? existing.source_event_at,
    });
    if (existing.status !== input.status || existing.amount_minor !== input.amountMinor) {
      await emitRefundRecorded(tx, actor, account.customer_id, {
        id: existing.id,
        payment,
        amountMinor: input.amountMinor,
        status: input.status,
      });
    }
    return { id: existing.id, changed: true };
  } catch (error) {
    if (isRefundBoundViolation(error))
      throw payment.status === 'succeeded' ? refundExceedsPayment(payment, input.amountMinor) : paymentNotRefundable(payment);
    throw error;
  }
}

async function emitRefundRecorded(
  tx: Db,
  actor: Actor,
  customerId: string,
  refund: { id: string; payment: PaymentRow; amountMinor: number; status: RefundStatus },
) {
  await recordBillingEvent(
    tx,
    actor,
    'billing.refund_recorded',
    { type: 'refund', id: refund.id },
    {
      customer_id: customerId,
      account_id: refund.payment.account_id,
      refund_id: refund.id,
      payment_id: refund.payment.id,
      amount_minor: refund.amountMinor,
      currency: refund.payment.currency,
      status: refund.status,
    },
  );
}

export async function getRefund(db: Db, actor: Actor, refundId: string): Promise<RefundRow> {
  if (!isUuid(refundId)) throw billingNotFound('refund');
  const row = await selectRefund(db, actor, refundId);
  if (!row) throw billingNotFound('refund');
  return row;
}

export async function findRefundByExternalId(db: Db, actor: Actor, externalId: string): Promise<RefundRow | undefined> {
  return selectRefundByExternalId(db, actor, externalId);
}

/** The refunds of a payment, newest first (a payment has a handful). */
export async function listRefundsOfPayment(db: Db, actor: Actor, paymentId: string): Promise<RefundRow[]> {
  if (!isUuid(paymentId)) return [];
  return selectRefundsOfPayment(db, actor, paymentId);
}
