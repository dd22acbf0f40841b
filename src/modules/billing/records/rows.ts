import type { Selectable } from 'kysely';
import type {
  BillingAccountsTable,
  BillingCreditsTable,
  BillingInvoiceLinesTable,
  BillingInvoicesTable,
  BillingPaymentsTable,
  BillingRefundsTable,
  BillingSubscriptionsTable,
} from '../schema.js';

/** Billing rows as the records functions return them to other billing parts (not API views). */
export type BillingAccountRow = Selectable<BillingAccountsTable>;
export type SubscriptionRow = Selectable<BillingSubscriptionsTable>;
export type InvoiceRow = Selectable<BillingInvoicesTable>;
export type InvoiceLineRow = Selectable<BillingInvoiceLinesTable>;
export type InvoiceWithLines = InvoiceRow & { lines: InvoiceLineRow[] };
export type PaymentRow = Selectable<BillingPaymentsTable>;
export type RefundRow = Selectable<BillingRefundsTable>;
export type CreditRow = Selectable<BillingCreditsTable>;
