import { Type, type Static } from 'typebox';
import type { BillingAccountRow, CreditRow, InvoiceLineRow, InvoiceRow, PaymentRow, RefundRow, SubscriptionRow } from '../records/rows.js';
import { INVOICE_STATUSES, PAYMENT_STATUSES, REFUND_STATUSES, SUBSCRIPTION_STATUSES } from '../schema.js';

/**
 * How billing records leave the module (API response shapes). Money is integer minor units with
 * an ISO 4217 currency; the web app formats it for the agent's locale.
 */

const Id = Type.String({ format: 'uuid' });
const NullableId = Type.Union([Id, Type.Null()]);
const NullableText = Type.Union([Type.String(), Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });
const NullableDateTime = Type.Union([DateTime, Type.Null()]);
const Minor = Type.Integer({ description: 'Integer minor units (cents) of `currency`' });
const Currency = Type.String({ minLength: 3, maxLength: 3, description: 'ISO 4217' });

const iso = (value: Date) => value.toISOString();
const isoOrNull = (value: Date | null) => (value ? value.toISOString() : null);

export const MoneySchema = Type.Object({ currency: Currency, amount_minor: Minor });
export type MoneyView = Static<typeof MoneySchema>;

export const AccountViewSchema = Type.Object({
  id: Id,
  customer_id: Id,
  source: Type.Enum(['ledger', 'stripe', 'import']),
  external_id: NullableText,
  name: NullableText,
  email: NullableText,
  currency: Currency,
  credit_balance_minor: Minor,
  created_at: DateTime,
  updated_at: DateTime,
});
export type AccountView = Static<typeof AccountViewSchema>;

export const accountView = (row: BillingAccountRow): AccountView => ({
  id: row.id,
  customer_id: row.customer_id,
  source: row.source,
  external_id: row.external_id,
  name: row.name,
  email: row.email,
  currency: row.currency,
  credit_balance_minor: row.credit_balance_minor,
  created_at: iso(row.created_at),
  updated_at: iso(row.updated_at),
});

export const SubscriptionViewSchema = Type.Object({
  id: Id,
  account_id: Id,
  external_id: NullableText,
  plan_name: Type.String(),
  status: Type.Enum([...SUBSCRIPTION_STATUSES]),
  price_minor: Minor,
  currency: Currency,
  interval: Type.Enum(['day', 'week', 'month', 'year']),
  current_period_end: NullableDateTime,
  cancel_at_period_end: Type.Boolean(),
  created_at: DateTime,
  updated_at: DateTime,
});
export type SubscriptionView = Static<typeof SubscriptionViewSchema>;

export const subscriptionView = (row: SubscriptionRow): SubscriptionView => ({
  id: row.id,
  account_id: row.account_id,
  external_id: row.external_id,
  plan_name: row.plan_name,
  status: row.status,
  price_minor: row.price_minor,
  currency: row.currency,
  interval: row.billing_interval,
  current_period_end: isoOrNull(row.current_period_end),
  cancel_at_period_end: row.cancel_at_period_end,
  created_at: iso(row.created_at),
  updated_at: iso(row.updated_at),
});

export const InvoiceLineViewSchema = Type.Object({
  id: Id,
  position: Type.Integer(),
  description: Type.String(),
  quantity: Type.Integer(),
  unit_amount_minor: Minor,
  amount_minor: Minor,
  is_fee: Type.Boolean({ description: 'A fee line (late fee): may be waived' }),
});

export const InvoiceViewSchema = Type.Object({
  id: Id,
  account_id: Id,
  subscription_id: NullableId,
  external_id: NullableText,
  number: NullableText,
  status: Type.Enum([...INVOICE_STATUSES]),
  currency: Currency,
  total_minor: Minor,
  amount_paid_minor: Minor,
  amount_due_minor: Type.Integer({ description: 'total - paid - waived, never below zero' }),
  issued_at: DateTime,
  due_at: NullableDateTime,
  paid_at: NullableDateTime,
  lines: Type.Array(InvoiceLineViewSchema),
  created_at: DateTime,
  updated_at: DateTime,
});
export type InvoiceView = Static<typeof InvoiceViewSchema>;

export const invoiceView = (row: InvoiceRow, lines: readonly InvoiceLineRow[]): InvoiceView => ({
  id: row.id,
  account_id: row.account_id,
  subscription_id: row.subscription_id,
  external_id: row.external_id,
  number: row.number,
  status: row.status,
  currency: row.currency,
  total_minor: row.total_minor,
  amount_paid_minor: row.amount_paid_minor,
  amount_due_minor: row.amount_due_minor,
  issued_at: iso(row.issued_at),
  due_at: isoOrNull(row.due_at),
  paid_at: isoOrNull(row.paid_at),
  lines: lines.map((line) => ({
    id: line.id,
    position: line.position,
    description: line.description,
    quantity: line.quantity,
    unit_amount_minor: line.unit_amount_minor,
    amount_minor: line.amount_minor,
    is_fee: line.is_fee,
  })),
  created_at: iso(row.created_at),
  updated_at: iso(row.updated_at),
});

export const PaymentViewSchema = Type.Object({
  id: Id,
  account_id: Id,
  invoice_id: NullableId,
  external_id: NullableText,
  processor_reference: NullableText,
  amount_minor: Minor,
  currency: Currency,
  status: Type.Enum([...PAYMENT_STATUSES]),
  method_summary: Type.Union([Type.String({ description: 'e.g. "Visa •••• 4242": brand and last four digits only' }), Type.Null()]),
  failure_code: NullableText,
  failure_message: NullableText,
  refunded_minor: Minor,
  refundable_minor: Type.Integer({ description: 'amount - refunded for a succeeded payment, otherwise 0' }),
  disputed: Type.Boolean(),
  paid_at: DateTime,
  created_at: DateTime,
  updated_at: DateTime,
});
export type PaymentView = Static<typeof PaymentViewSchema>;

export const paymentView = (row: PaymentRow): PaymentView => ({
  id: row.id,
  account_id: row.account_id,
  invoice_id: row.invoice_id,
  external_id: row.external_id,
  processor_reference: row.processor_reference,
  amount_minor: row.amount_minor,
  currency: row.currency,
  status: row.status,
  method_summary: row.method_summary,
  failure_code: row.failure_code,
  failure_message: row.failure_message,
  refunded_minor: row.refunded_minor,
  refundable_minor: row.status === 'succeeded' ? Math.max(0, row.amount_minor - row.refunded_minor) : 0,
  disputed: row.disputed,
  paid_at: iso(row.paid_at),
  created_at: iso(row.created_at),
  updated_at: iso(row.updated_at),
});

export const RefundViewSchema = Type.Object({
  id: Id,
  account_id: Id,
  payment_id: Id,
  money_action_id: NullableId,
  external_id: NullableText,
  amount_minor: Minor,
  currency: Currency,
  status: Type.Enum([...REFUND_STATUSES]),
  reason: NullableText,
  created_at: DateTime,
  updated_at: DateTime,
});
export type RefundView = Static<typeof RefundViewSchema>;

export const refundView = (row: RefundRow): RefundView => ({
  id: row.id,
  account_id: row.account_id,
  payment_id: row.payment_id,
  money_action_id: row.money_action_id,
  external_id: row.external_id,
  amount_minor: row.amount_minor,
  currency: row.currency,
  status: row.status,
  reason: row.reason,
  created_at: iso(row.created_at),
  updated_at: iso(row.updated_at),
});

export const CreditViewSchema = Type.Object({
  id: Id,
  account_id: Id,
  kind: Type.Enum(['credit', 'fee_waiver']),
  amount_minor: Minor,
  currency: Currency,
  invoice_id: NullableId,
  money_action_id: NullableId,
  reason: NullableText,
  created_at: DateTime,
});
export type CreditView = Static<typeof CreditViewSchema>;

export const creditView = (row: CreditRow): CreditView => ({
  id: row.id,
  account_id: row.account_id,
  kind: row.kind,
  amount_minor: row.amount_minor,
  currency: row.currency,
  invoice_id: row.invoice_id,
  money_action_id: row.money_action_id,
  reason: row.reason,
  created_at: iso(row.created_at),
});

export const BillingStateSchema = Type.Object({
  summary: Type.Object({
    open_balance: Type.Array(MoneySchema, { description: 'Amount due on open and uncollectible invoices, per currency' }),
    credit_balance: Type.Array(MoneySchema, { description: 'Credit the customer holds, per currency' }),
    last_failed_payment: Type.Union([PaymentViewSchema, Type.Null()]),
    open_disputes: Type.Integer({ minimum: 0 }),
  }),
  accounts: Type.Array(AccountViewSchema),
  subscriptions: Type.Array(SubscriptionViewSchema),
  invoices: Type.Array(InvoiceViewSchema),
  payments: Type.Array(PaymentViewSchema),
  refunds: Type.Array(RefundViewSchema),
  credits: Type.Array(CreditViewSchema),
});
export type BillingStateView = Static<typeof BillingStateSchema>;
