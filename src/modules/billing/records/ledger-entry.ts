import type { Static } from 'typebox';
import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { recordAudit } from '../../../platform/audit.js';
import {
  accountView,
  invoiceView,
  paymentView,
  refundView,
  subscriptionView,
  type AccountView,
  type InvoiceView,
  type PaymentView,
  type RefundView,
  type SubscriptionView,
} from '../state/views.js';
import { getBillingAccount, upsertBillingAccount } from './accounts.js';
import { getInvoice, upsertInvoice } from './invoices.js';
import type {
  CreateAccountBody,
  CreateInvoiceBody,
  CreatePaymentBody,
  CreateRefundBody,
  CreateSubscriptionBody,
  PatchPaymentBody,
} from './ledger-schemas.js';
import { changePaymentStatus, getPayment, upsertPayment } from './payments.js';
import { getRefund, upsertRefund } from './refunds.js';
import { getSubscription, upsertSubscription } from './subscriptions.js';

/**
 * Ledger entry: Baton's own books, written by a supervisor or admin through the API (or the web
 * app). Each entry goes through the same record functions as processor webhooks, and is audited.
 */

const date = (value: string | null | undefined) => (value ? new Date(value) : null);

async function audit(
  tx: Db,
  actor: Actor,
  action: string,
  targetType: string,
  targetId: string,
  details: Record<string, string | number | null>,
) {
  await recordAudit(tx, actor, { action: `billing.${action}`, targetType, targetId, details });
}

export async function enterAccount(
  tx: Db,
  actor: Actor,
  body: Static<typeof CreateAccountBody>,
): Promise<{ account: AccountView; created: boolean }> {
  const result = await upsertBillingAccount(tx, actor, {
    customerId: body.customer_id,
    source: 'ledger',
    externalId: body.external_id ?? null,
    currency: body.currency,
    name: body.name,
    email: body.email,
  });
  await audit(tx, actor, result.created ? 'account_created' : 'account_updated', 'billing_account', result.id, {
    customer_id: body.customer_id,
  });
  return { account: accountView(await getBillingAccount(tx, actor, result.id)), created: result.created };
}

export async function enterSubscription(tx: Db, actor: Actor, body: Static<typeof CreateSubscriptionBody>): Promise<SubscriptionView> {
  const { id } = await upsertSubscription(tx, actor, {
    accountId: body.account_id,
    externalId: body.external_id ?? null,
    planName: body.plan_name,
    status: body.status,
    priceMinor: body.price_minor,
    currency: body.currency,
    interval: body.interval ?? 'month',
    currentPeriodEnd: date(body.current_period_end),
    cancelAtPeriodEnd: body.cancel_at_period_end ?? false,
    sourceEventAt: null,
  });
  await audit(tx, actor, 'subscription_recorded', 'billing_subscription', id, {
    status: body.status,
    price_minor: body.price_minor,
    currency: body.currency.toUpperCase(),
  });
  return subscriptionView(await getSubscription(tx, actor, id));
}

export async function enterInvoice(tx: Db, actor: Actor, body: Static<typeof CreateInvoiceBody>): Promise<InvoiceView> {
  const { id } = await upsertInvoice(tx, actor, {
    accountId: body.account_id,
    subscriptionId: body.subscription_id ?? null,
    externalId: body.external_id ?? null,
    number: body.number ?? null,
    status: body.status,
    currency: body.currency,
    totalMinor: body.total_minor,
    amountPaidMinor: body.amount_paid_minor ?? 0,
    issuedAt: date(body.issued_at),
    dueAt: date(body.due_at),
    paidAt: date(body.paid_at),
    ...(body.lines
      ? {
          lines: body.lines.map((line) => ({
            description: line.description,
            quantity: line.quantity ?? 1,
            unitAmountMinor: line.unit_amount_minor,
            amountMinor: line.amount_minor ?? (line.quantity ?? 1) * line.unit_amount_minor,
            isFee: line.is_fee ?? false,
          })),
        }
      : {}),
    sourceEventAt: null,
  });
  await audit(tx, actor, 'invoice_recorded', 'billing_invoice', id, {
    status: body.status,
    total_minor: body.total_minor,
    currency: body.currency.toUpperCase(),
  });
  const invoice = await getInvoice(tx, actor, id);
  return invoiceView(invoice, invoice.lines);
}

export async function enterPayment(tx: Db, actor: Actor, body: Static<typeof CreatePaymentBody>): Promise<PaymentView> {
  const { id } = await upsertPayment(tx, actor, {
    accountId: body.account_id,
    invoiceId: body.invoice_id ?? null,
    externalId: body.external_id ?? null,
    processorReference: body.processor_reference,
    amountMinor: body.amount_minor,
    currency: body.currency,
    status: body.status,
    methodSummary: body.method_summary,
    failureCode: body.failure_code,
    failureMessage: body.failure_message,
    paidAt: date(body.paid_at),
    sourceEventAt: null,
  });
  await audit(tx, actor, 'payment_recorded', 'billing_payment', id, {
    status: body.status,
    amount_minor: body.amount_minor,
    currency: body.currency.toUpperCase(),
  });
  return paymentView(await getPayment(tx, actor, id));
}

export async function enterPaymentStatus(
  tx: Db,
  actor: Actor,
  paymentId: string,
  body: Static<typeof PatchPaymentBody>,
): Promise<PaymentView> {
  const before = await getPayment(tx, actor, paymentId);
  const row = await changePaymentStatus(tx, actor, paymentId, {
    status: body.status,
    failureCode: body.failure_code,
    failureMessage: body.failure_message,
    paidAt: date(body.paid_at),
  });
  await audit(tx, actor, 'payment_status_changed', 'billing_payment', row.id, {
    from: before.status,
    to: row.status,
    failure_code: row.failure_code,
  });
  return paymentView(row);
}

export async function enterRefund(tx: Db, actor: Actor, body: Static<typeof CreateRefundBody>): Promise<RefundView> {
  const { id } = await upsertRefund(tx, actor, {
    paymentId: body.payment_id,
    externalId: body.external_id ?? null,
    amountMinor: body.amount_minor,
    currency: body.currency,
    status: body.status ?? 'succeeded',
    reason: body.reason ?? null,
    sourceEventAt: null,
  });
  await audit(tx, actor, 'refund_recorded', 'billing_refund', id, {
    payment_id: body.payment_id,
    amount_minor: body.amount_minor,
    currency: body.currency.toUpperCase(),
  });
  return refundView(await getRefund(tx, actor, id));
}
