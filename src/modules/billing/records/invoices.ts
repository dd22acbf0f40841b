import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { conflict, unprocessable } from '../../../platform/errors.js';
import { assertMinorUnits, MAX_MINOR, normalizeCurrency } from '../money.js';
import { INVOICE_STATUSES, type InvoiceStatus } from '../schema.js';
import { authorizeBillingWrite, billingNotFound, eventApplies, isUniqueViolation, isUuid } from './access.js';
import { loadAccount } from './accounts-store.js';
import {
  insertInvoiceRow,
  lockInvoice,
  lockInvoiceByExternalId,
  replaceInvoiceLines,
  selectInvoice,
  selectLinesOfInvoices,
  setInvoiceDue,
  sumWaivedOfInvoice,
  updateInvoiceRow,
  type InvoiceLineValues,
} from './invoices-store.js';
import type { InvoiceWithLines } from './rows.js';
import { selectSubscription } from './subscriptions-store.js';

export interface InvoiceLineInput {
  description: string;
  quantity: number;
  unitAmountMinor: number;
  amountMinor: number;
  isFee?: boolean | undefined;
}

export interface UpsertInvoiceInput {
  accountId: string;
  subscriptionId?: string | null | undefined;
  externalId: string | null;
  number: string | null;
  status: InvoiceStatus;
  currency: string;
  totalMinor: number;
  amountPaidMinor: number;
  /** The processor's own figure when it has one; Baton never lets it exceed total - paid - waived. */
  amountDueMinor?: number | null | undefined;
  issuedAt: Date | null;
  dueAt: Date | null;
  paidAt: Date | null;
  /** Replaces the invoice's lines when given. */
  lines?: InvoiceLineInput[] | undefined;
  sourceEventAt: Date | null;
}

export const invoiceNumberTaken = (number: string | null) =>
  conflict('billing.invoice_number_taken', `Invoice number ${number ?? ''} is already used by another invoice`, { field: 'number' });

/** What is still owed: total - paid - waived, never below zero (and never above the processor's figure). */
export function amountDue(totalMinor: number, paidMinor: number, waivedMinor: number, processorDue?: number | null): number {
  const owed = Math.max(0, totalMinor - paidMinor - waivedMinor);
  return processorDue === undefined || processorDue === null ? owed : Math.max(0, Math.min(owed, processorDue));
}

function lineValues(lines: InvoiceLineInput[]): InvoiceLineValues[] {
  return lines.map((line, index) => {
    const description = line.description.trim().slice(0, 500);
    if (!description)
      throw unprocessable('billing.invalid_line', `Line ${index + 1} needs a description`, { field: `lines[${index}].description` });
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1) {
      throw unprocessable('billing.invalid_line', `Line ${index + 1}: quantity must be a whole number above zero`, {
        field: `lines[${index}].quantity`,
      });
    }
    // Lines may be negative (discounts), so only the magnitude is bounded.
    for (const [field, value] of [
      ['unit_amount_minor', line.unitAmountMinor],
      ['amount_minor', line.amountMinor],
    ] as const) {
      if (!Number.isSafeInteger(value) || Math.abs(value) > MAX_MINOR) {
        throw unprocessable('billing.invalid_amount', `Line ${index + 1}: ${field} must be whole minor units`, {
          field: `lines[${index}].${field}`,
        });
      }
    }
    return {
      description,
      quantity: line.quantity,
      unit_amount_minor: line.unitAmountMinor,
      amount_minor: line.amountMinor,
      is_fee: line.isFee ?? false,
    };
  });
}

/**
 * Records an invoice keyed by its external id (null: a new ledger invoice). An older event than
 * the stored one changes nothing. amount_due = total - paid - waived (fee waivers), never below 0.
 */
export async function upsertInvoice(tx: Db, actor: Actor, input: UpsertInvoiceInput): Promise<{ id: string; changed: boolean }> {
  authorizeBillingWrite(actor, 'invoice');
  const currency = normalizeCurrency(input.currency);
  assertMinorUnits(input.totalMinor, 'total_minor', { allowZero: true });
  assertMinorUnits(input.amountPaidMinor, 'amount_paid_minor', { allowZero: true });
  if (input.amountDueMinor !== undefined && input.amountDueMinor !== null)
    assertMinorUnits(input.amountDueMinor, 'amount_due_minor', { allowZero: true });
  if (!INVOICE_STATUSES.includes(input.status)) {
    throw unprocessable('billing.invalid_status', `"${input.status}" is not an invoice status`, { field: 'status' });
  }
  const lines = input.lines ? lineValues(input.lines) : undefined;
  const account = await loadAccount(tx, actor, input.accountId);
  if (input.subscriptionId) {
    const subscription = isUuid(input.subscriptionId) ? await selectSubscription(tx, actor, input.subscriptionId) : undefined;
    if (!subscription || subscription.account_id !== account.id) throw billingNotFound('subscription');
  }
  const number = input.number?.trim().slice(0, 100) || null;
  const base = {
    account_id: account.id,
    subscription_id: input.subscriptionId ?? null,
    number,
    status: input.status,
    currency,
    total_minor: input.totalMinor,
    amount_paid_minor: input.amountPaidMinor,
    issued_at: input.issuedAt ?? new Date(),
    due_at: input.dueAt,
    paid_at: input.paidAt ?? (input.status === 'paid' ? new Date() : null),
  };
  try {
    const insertedId = await insertInvoiceRow(tx, actor, {
      ...base,
      external_id: input.externalId,
      amount_due_minor: amountDue(input.totalMinor, input.amountPaidMinor, 0, input.amountDueMinor),
      source_event_at: input.sourceEventAt,
    });
    if (insertedId) {
      if (lines) await replaceInvoiceLines(tx, actor, insertedId, lines);
      return { id: insertedId, changed: true };
    }
    const existing = await lockInvoiceByExternalId(tx, actor, input.externalId!);
    if (!existing) throw new Error('invoice vanished between insert conflict and re-read');
    if (!eventApplies(input.sourceEventAt, existing.source_event_at)) return { id: existing.id, changed: false };
    if (existing.account_id !== account.id) {
      throw unprocessable('billing.account_mismatch', 'This invoice belongs to another billing account', { field: 'account_id' });
    }
    const waived = await sumWaivedOfInvoice(tx, actor, existing.id);
    await updateInvoiceRow(tx, actor, existing.id, {
      ...base,
      // A later event without a number (or issue date) keeps the ones recorded.
      number: number ?? existing.number,
      issued_at: input.issuedAt ?? existing.issued_at,
      amount_due_minor: amountDue(input.totalMinor, input.amountPaidMinor, waived, input.amountDueMinor),
      source_event_at: input.sourceEventAt ?? existing.source_event_at,
    });
    if (lines) await replaceInvoiceLines(tx, actor, existing.id, lines);
    return { id: existing.id, changed: true };
  } catch (error) {
    if (isUniqueViolation(error, 'number')) throw invoiceNumberTaken(number);
    throw error;
  }
}

/** Re-computes amount_due after a fee waiver (money actions call it in their transaction). */
export async function recalculateInvoiceDue(tx: Db, actor: Actor, invoiceId: string): Promise<{ amountDueMinor: number }> {
  authorizeBillingWrite(actor, 'invoice');
  if (!isUuid(invoiceId)) throw billingNotFound('invoice');
  const invoice = await lockInvoice(tx, actor, invoiceId);
  if (!invoice) throw billingNotFound('invoice');
  const waived = await sumWaivedOfInvoice(tx, actor, invoice.id);
  const due = Math.min(invoice.amount_due_minor, amountDue(invoice.total_minor, invoice.amount_paid_minor, waived));
  if (due !== invoice.amount_due_minor) await setInvoiceDue(tx, actor, invoice.id, due);
  return { amountDueMinor: due };
}

export async function getInvoice(db: Db, actor: Actor, invoiceId: string): Promise<InvoiceWithLines> {
  if (!isUuid(invoiceId)) throw billingNotFound('invoice');
  const invoice = await selectInvoice(db, actor, invoiceId);
  if (!invoice) throw billingNotFound('invoice');
  return { ...invoice, lines: await selectLinesOfInvoices(db, actor, [invoice.id]) };
}
