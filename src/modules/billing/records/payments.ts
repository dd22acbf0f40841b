import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { unprocessable } from '../../../platform/errors.js';
import { recordBillingEvent } from '../events.js';
import { assertMinorUnits, normalizeCurrency } from '../money.js';
import { PAYMENT_STATUSES, type PaymentStatus } from '../schema.js';
import { authorizeBillingWrite, billingNotFound, constraintViolation, eventApplies, isUuid } from './access.js';
import { loadAccount } from './accounts-store.js';
import { selectInvoice } from './invoices-store.js';
import {
  insertPaymentRow,
  lockPaymentByExternalId,
  selectPayment,
  selectPaymentByExternalId,
  updatePaymentDisputed,
  updatePaymentRow,
  type PaymentPatch,
} from './payments-store.js';
import type { BillingAccountRow, PaymentRow } from './rows.js';

export interface UpsertPaymentInput {
  accountId: string;
  invoiceId?: string | null | undefined;
  externalId: string | null;
  processorReference?: string | null | undefined;
  amountMinor: number;
  currency: string;
  status: PaymentStatus;
  /** "Visa •••• 4242": never more of the card than a brand and the last four digits. */
  methodSummary?: string | null | undefined;
  failureCode?: string | null | undefined;
  failureMessage?: string | null | undefined;
  paidAt: Date | null;
  sourceEventAt: Date | null;
}

const text = (value: string | null | undefined, max: number) => value?.trim().slice(0, max) || null;

/** Baton never stores card numbers: a summary holding a long run of digits is refused. */
function assertNoCardNumber(summary: string | null | undefined) {
  if (summary && /\d[\d -]{6,}\d/.test(summary)) {
    throw unprocessable('billing.card_number_refused', 'The payment method may name the card brand and last four digits only', {
      field: 'method_summary',
    });
  }
}

/** A payment with refunds cannot stop being succeeded, nor shrink below what was refunded. */
function paymentConstraintError(error: unknown): unknown {
  const violation = constraintViolation(error);
  if (violation?.code === '23514' && violation.constraint.includes('billing_payments_refund_within_paid')) {
    return unprocessable('billing.payment_has_refunds', 'This payment has refunds: it must stay succeeded and cover them', {
      field: 'status',
    });
  }
  return error;
}

async function emitStatusEvent(
  tx: Db,
  actor: Actor,
  account: BillingAccountRow,
  payment: PaymentRow | (Omit<PaymentRow, 'id'> & { id: string }),
) {
  if (payment.status === 'failed') {
    await recordBillingEvent(
      tx,
      actor,
      'billing.payment_failed',
      { type: 'payment', id: payment.id },
      {
        customer_id: account.customer_id,
        account_id: account.id,
        payment_id: payment.id,
        invoice_id: payment.invoice_id,
        amount_minor: payment.amount_minor,
        currency: payment.currency,
        failure_code: payment.failure_code,
        failure_message: payment.failure_message,
      },
    );
  } else if (payment.status === 'succeeded') {
    await recordBillingEvent(
      tx,
      actor,
      'billing.payment_succeeded',
      { type: 'payment', id: payment.id },
      {
        customer_id: account.customer_id,
        account_id: account.id,
        payment_id: payment.id,
        invoice_id: payment.invoice_id,
        amount_minor: payment.amount_minor,
        currency: payment.currency,
      },
    );
  }
}

/**
 * Records a payment (a charge attempt) keyed by its external id. An older event than the stored
 * one changes nothing. Becoming failed emits `billing.payment_failed`, becoming succeeded
 * `billing.payment_succeeded` (outreach and triage listen).
 */
export async function upsertPayment(tx: Db, actor: Actor, input: UpsertPaymentInput): Promise<{ id: string; changed: boolean }> {
  authorizeBillingWrite(actor, 'payment');
  const currency = normalizeCurrency(input.currency);
  assertMinorUnits(input.amountMinor, 'amount_minor');
  if (!PAYMENT_STATUSES.includes(input.status)) {
    throw unprocessable('billing.invalid_status', `"${input.status}" is not a payment status`, { field: 'status' });
  }
  assertNoCardNumber(input.methodSummary);
  const account = await loadAccount(tx, actor, input.accountId);
  const invoiceId = input.invoiceId ?? null;
  if (invoiceId) {
    const invoice = isUuid(invoiceId) ? await selectInvoice(tx, actor, invoiceId) : undefined;
    if (!invoice || invoice.account_id !== account.id) throw billingNotFound('invoice');
  }
  const failed = input.status === 'failed';
  const values = {
    account_id: account.id,
    invoice_id: invoiceId,
    external_id: input.externalId,
    processor_reference: text(input.processorReference, 255),
    amount_minor: input.amountMinor,
    currency,
    status: input.status,
    method_summary: text(input.methodSummary, 100),
    // A failure reason only belongs to a failed payment.
    failure_code: failed ? text(input.failureCode, 100) : null,
    failure_message: failed ? text(input.failureMessage, 500) : null,
    paid_at: input.paidAt ?? new Date(),
    source_event_at: input.sourceEventAt,
  };
  const insertedId = await insertPaymentRow(tx, actor, values);
  if (insertedId) {
    await emitStatusEvent(tx, actor, account, { ...values, id: insertedId } as PaymentRow);
    return { id: insertedId, changed: true };
  }
  const existing = await lockPaymentByExternalId(tx, actor, input.externalId!);
  if (!existing) throw new Error('payment vanished between insert conflict and re-read');
  if (!eventApplies(input.sourceEventAt, existing.source_event_at)) return { id: existing.id, changed: false };
  if (existing.account_id !== account.id) {
    throw unprocessable('billing.account_mismatch', 'This payment belongs to another billing account', { field: 'account_id' });
  }
  const { external_id: _key, account_id: _account, ...patch } = values;
  await applyPaymentPatch(tx, actor, account, existing, {
    ...patch,
    invoice_id: invoiceId ?? existing.invoice_id,
    processor_reference: patch.processor_reference ?? existing.processor_reference,
    method_summary: patch.method_summary ?? existing.method_summary,
    paid_at: input.paidAt ?? existing.paid_at,
    source_event_at: input.sourceEventAt ?? existing.source_event_at,
  });
  return { id: existing.id, changed: true };
}

async function applyPaymentPatch(tx: Db, actor: Actor, account: BillingAccountRow, existing: PaymentRow, patch: PaymentPatch) {
  try {
    await updatePaymentRow(tx, actor, existing.id, patch);
  } catch (error) {
    throw paymentConstraintError(error);
  }
  const updated = { ...existing, ...patch } as PaymentRow;
  if (updated.status !== existing.status) await emitStatusEvent(tx, actor, account, updated);
}

export interface PaymentStatusChange {
  status: PaymentStatus;
  failureCode?: string | null | undefined;
  failureMessage?: string | null | undefined;
  paidAt?: Date | null | undefined;
}

/** A ledger status change (PATCH /billing/payments/:id), e.g. a payment that bounced: failed. */
export async function changePaymentStatus(tx: Db, actor: Actor, paymentId: string, change: PaymentStatusChange): Promise<PaymentRow> {
  authorizeBillingWrite(actor, 'payment');
  if (!PAYMENT_STATUSES.includes(change.status)) {
    throw unprocessable('billing.invalid_status', `"${change.status}" is not a payment status`, { field: 'status' });
  }
  if (!isUuid(paymentId)) throw billingNotFound('payment');
  const existing = await selectPayment(tx, actor, paymentId, { lock: true });
  if (!existing) throw billingNotFound('payment');
  const account = await loadAccount(tx, actor, existing.account_id);
  const failed = change.status === 'failed';
  const patch: PaymentPatch = {
    status: change.status,
    failure_code: failed ? (text(change.failureCode, 100) ?? existing.failure_code) : null,
    failure_message: failed ? (text(change.failureMessage, 500) ?? existing.failure_message) : null,
    ...(change.paidAt ? { paid_at: change.paidAt } : {}),
  };
  await applyPaymentPatch(tx, actor, account, existing, patch);
  return (await selectPayment(tx, actor, paymentId))!;
}

/** Marks a payment disputed (or not): disputes call it when a chargeback opens or closes. */
export async function setPaymentDisputed(tx: Db, actor: Actor, paymentId: string, disputed: boolean): Promise<void> {
  // Agents enter disputes by hand (dispute.write) without being allowed ledger entry (billing.write).
  if (!isUuid(paymentId) || !(await updatePaymentDisputed(tx, actor, paymentId, disputed))) throw billingNotFound('payment');
}

export async function findPaymentByExternalId(tx: Db, actor: Actor, externalId: string): Promise<PaymentRow | undefined> {
  return selectPaymentByExternalId(tx, actor, externalId);
}

export async function getPayment(db: Db, actor: Actor, paymentId: string): Promise<PaymentRow> {
  if (!isUuid(paymentId)) throw billingNotFound('payment');
  const row = await selectPayment(db, actor, paymentId);
  if (!row) throw billingNotFound('payment');
  return row;
}
