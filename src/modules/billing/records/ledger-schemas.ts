import { Type, type TSchema } from 'typebox';
import { Closed, Uuid } from '../../../http/schemas.js';
import { MAX_MINOR } from '../money.js';
import { INVOICE_STATUSES, PAYMENT_STATUSES, REFUND_STATUSES, SUBSCRIPTION_STATUSES } from '../schema.js';

/** Request schemas of the ledger entry API (supervisors and admins keep Baton's own books). */

const Optional = <T extends TSchema>(schema: T) => Type.Optional(schema);
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const CurrencyField = Type.String({ minLength: 3, maxLength: 3, pattern: '^[A-Za-z]{3}$', description: 'ISO 4217 code, e.g. EUR' });
export const MinorField = (description: string, minimum = 0) =>
  Type.Integer({ minimum, maximum: MAX_MINOR, description: `${description} (integer minor units)` });
const ExternalId = Type.String({
  minLength: 1,
  maxLength: 255,
  pattern: '\\S',
  description: 'Id in the source system: posting it again updates the record',
});
const When = Type.String({ format: 'date-time', maxLength: 40 });
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S' });

export const CreateAccountBody = Closed({
  customer_id: Uuid,
  currency: CurrencyField,
  external_id: Optional(ExternalId),
  name: Optional(Text(200)),
  email: Optional(Type.String({ minLength: 3, maxLength: 254, format: 'email' })),
});

export const CreateSubscriptionBody = Closed({
  account_id: Uuid,
  plan_name: Text(200),
  status: Type.Enum([...SUBSCRIPTION_STATUSES]),
  price_minor: MinorField('Price per interval'),
  currency: CurrencyField,
  interval: Optional(Type.Enum(['day', 'week', 'month', 'year'])),
  current_period_end: Optional(Nullable(When)),
  cancel_at_period_end: Optional(Type.Boolean()),
  external_id: Optional(ExternalId),
});

export const InvoiceLineBody = Closed({
  description: Text(500),
  quantity: Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
  unit_amount_minor: Type.Integer({ minimum: -MAX_MINOR, maximum: MAX_MINOR, description: 'Negative for a discount' }),
  amount_minor: Optional(Type.Integer({ minimum: -MAX_MINOR, maximum: MAX_MINOR, description: 'Default: quantity x unit amount' })),
  is_fee: Optional(Type.Boolean({ description: 'A fee (late fee) that may be waived' })),
});

export const CreateInvoiceBody = Closed({
  account_id: Uuid,
  subscription_id: Optional(Nullable(Uuid)),
  external_id: Optional(ExternalId),
  number: Optional(Text(100)),
  status: Type.Enum([...INVOICE_STATUSES]),
  currency: CurrencyField,
  total_minor: MinorField('Invoice total'),
  amount_paid_minor: Optional(MinorField('Paid so far')),
  issued_at: Optional(When),
  due_at: Optional(Nullable(When)),
  paid_at: Optional(Nullable(When)),
  lines: Optional(Type.Array(InvoiceLineBody, { maxItems: 200 })),
});

export const CreatePaymentBody = Closed({
  account_id: Uuid,
  invoice_id: Optional(Nullable(Uuid)),
  external_id: Optional(ExternalId),
  processor_reference: Optional(Text(255)),
  amount_minor: MinorField('Amount', 1),
  currency: CurrencyField,
  status: Type.Enum([...PAYMENT_STATUSES]),
  method_summary: Optional(
    Type.String({ minLength: 1, maxLength: 100, pattern: '\\S', description: 'e.g. "Visa •••• 4242": never a full card number' }),
  ),
  failure_code: Optional(Text(100)),
  failure_message: Optional(Text(500)),
  paid_at: Optional(When),
});

export const PatchPaymentBody = Closed({
  status: Type.Enum([...PAYMENT_STATUSES]),
  failure_code: Optional(Nullable(Text(100))),
  failure_message: Optional(Nullable(Text(500))),
  paid_at: Optional(When),
});

export const CreateRefundBody = Closed({
  payment_id: Uuid,
  amount_minor: MinorField('Refunded amount', 1),
  currency: CurrencyField,
  status: Optional(Type.Enum([...REFUND_STATUSES], { default: 'succeeded' })),
  reason: Optional(Text(1000)),
  external_id: Optional(ExternalId),
});

export const IdParams = Closed({ id: Uuid });
