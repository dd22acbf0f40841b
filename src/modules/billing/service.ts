/**
 * The billing module's API to other modules and billing parts (BILLING.md, "A: records"). Each
 * command lives in its own file under records/ and state/; this file gathers them.
 */
export {
  upsertBillingAccount,
  getBillingAccount,
  findBillingAccountByExternalId,
  listBillingAccountsOfCustomer,
  type UpsertBillingAccountInput,
} from './records/accounts.js';
export { upsertSubscription, getSubscription, type UpsertSubscriptionInput } from './records/subscriptions.js';
export {
  upsertInvoice,
  getInvoice,
  recalculateInvoiceDue,
  amountDue,
  type UpsertInvoiceInput,
  type InvoiceLineInput,
} from './records/invoices.js';
export {
  upsertPayment,
  changePaymentStatus,
  setPaymentDisputed,
  findPaymentByExternalId,
  getPayment,
  type UpsertPaymentInput,
  type PaymentStatusChange,
} from './records/payments.js';
export {
  upsertRefund,
  getRefund,
  findRefundByExternalId,
  listRefundsOfPayment,
  refundExceedsPayment,
  type UpsertRefundInput,
} from './records/refunds.js';
export { getCustomerBillingSignals, type CustomerBillingSignals, type FailedPaymentSignal, type RefundSignal } from './records/signals.js';
export { isRefundBoundViolation } from './records/access.js';
export type {
  BillingAccountRow,
  SubscriptionRow,
  InvoiceRow,
  InvoiceLineRow,
  InvoiceWithLines,
  PaymentRow,
  RefundRow,
  CreditRow,
} from './records/rows.js';
export { getCustomerBillingState, STATE_LIST_LIMIT } from './state/get-state.js';
export {
  BillingStateSchema,
  PaymentViewSchema,
  InvoiceViewSchema,
  SubscriptionViewSchema,
  AccountViewSchema,
  RefundViewSchema,
  CreditViewSchema,
  paymentView,
  invoiceView,
  refundView,
  type BillingStateView,
  type PaymentView,
  type InvoiceView,
  type RefundView,
  type AccountView,
  type SubscriptionView,
  type CreditView,
} from './state/views.js';
