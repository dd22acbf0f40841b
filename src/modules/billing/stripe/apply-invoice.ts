import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { findPaymentByExternalId, upsertInvoice, upsertPayment, type InvoiceLineInput } from '../service.js';
import { INVOICE_STATUSES, type InvoiceStatus } from '../schema.js';
import type { StripeEventLookups } from './customer-lookup.js';
import { linkStripeCustomer, UnusableStripeEvent } from './link-customer.js';
import { dateOf, idOf, type StripeInvoiceObject } from './stripe-objects.js';

const MAX_LINES = 200;

function invoiceStatus(status: string | null | undefined): InvoiceStatus {
  if (status && (INVOICE_STATUSES as readonly string[]).includes(status)) return status as InvoiceStatus;
  throw new UnusableStripeEvent(`Unknown invoice status "${status ?? ''}"`);
}

const nonNegative = (value: number | undefined) => (typeof value === 'number' && Number.isSafeInteger(value) ? Math.max(0, value) : 0);

function linesOf(invoice: StripeInvoiceObject): InvoiceLineInput[] | undefined {
  const data = invoice.lines?.data;
  // A truncated list (has_more) would replace the stored lines with part of them: keep what is stored.
  if (!Array.isArray(data) || (invoice.lines as { has_more?: boolean }).has_more) return undefined;
  return data.slice(0, MAX_LINES).map((line) => {
    const quantity = typeof line.quantity === 'number' && Number.isSafeInteger(line.quantity) && line.quantity > 0 ? line.quantity : 1;
    const amount = typeof line.amount === 'number' && Number.isSafeInteger(line.amount) ? line.amount : 0;
    const decimal = Number(line.pricing?.unit_amount_decimal ?? line.price?.unit_amount ?? NaN);
    const unit =
      Number.isFinite(decimal) && Number.isSafeInteger(Math.round(decimal)) ? Math.round(decimal) : Math.round(amount / quantity);
    return { description: line.description?.trim() || 'Invoice item', quantity, unitAmountMinor: unit, amountMinor: amount };
  });
}

/**
 * invoice.* events: the invoice with its lines (A's upsertInvoice). When the event names the charge
 * (older API versions), a failed attempt is recorded as a failed payment if no charge event did so
 * yet (without an event time, so the charge's own events always refine it), and a known payment
 * is linked to the invoice.
 */
export async function applyInvoice(
  tx: Db,
  actor: Actor,
  invoice: StripeInvoiceObject,
  eventType: string,
  eventAt: Date,
  lookups?: StripeEventLookups,
): Promise<void> {
  if (!invoice.currency) throw new UnusableStripeEvent('The invoice has no currency');
  const status = invoiceStatus(invoice.status);
  const linked = await linkStripeCustomer(tx, actor, {
    stripeCustomerId: idOf(invoice.customer),
    email: invoice.customer_email,
    name: invoice.customer_name,
    currency: invoice.currency,
    lookups,
  });
  const total = nonNegative(invoice.total ?? invoice.amount_due);
  const paid = Math.min(total, nonNegative(invoice.amount_paid));
  const remaining = invoice.amount_remaining ?? (invoice.amount_due !== undefined ? invoice.amount_due - paid : undefined);
  const lines = linesOf(invoice);
  const { id: invoiceId } = await upsertInvoice(tx, actor, {
    accountId: linked.accountId,
    externalId: invoice.id,
    number: invoice.number ?? null,
    status,
    currency: invoice.currency,
    totalMinor: total,
    amountPaidMinor: paid,
    amountDueMinor: remaining === undefined ? null : nonNegative(remaining),
    issuedAt: dateOf(invoice.status_transitions?.finalized_at) ?? dateOf(invoice.created),
    dueAt: dateOf(invoice.due_date),
    paidAt: dateOf(invoice.status_transitions?.paid_at),
    ...(lines ? { lines } : {}),
    sourceEventAt: eventAt,
  });

  const chargeId = idOf(invoice.charge);
  if (!chargeId) return;
  const payment = await findPaymentByExternalId(tx, actor, chargeId);
  if (payment) {
    if (payment.invoice_id === null && payment.account_id === linked.accountId) {
      await upsertPayment(tx, actor, {
        accountId: payment.account_id,
        invoiceId,
        externalId: chargeId,
        processorReference: payment.processor_reference,
        amountMinor: payment.amount_minor,
        currency: payment.currency,
        status: payment.status,
        methodSummary: payment.method_summary,
        failureCode: payment.failure_code,
        failureMessage: payment.failure_message,
        paidAt: payment.paid_at,
        sourceEventAt: null,
      });
    }
    return;
  }
  const amount = invoice.amount_due ?? total;
  if (eventType === 'invoice.payment_failed' && amount > 0) {
    await upsertPayment(tx, actor, {
      accountId: linked.accountId,
      invoiceId,
      externalId: chargeId,
      amountMinor: amount,
      currency: invoice.currency,
      status: 'failed',
      failureCode: null,
      failureMessage: 'Invoice payment failed (Stripe)',
      paidAt: eventAt,
      sourceEventAt: null,
    });
  }
}
