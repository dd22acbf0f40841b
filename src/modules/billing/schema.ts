import type { Generated } from 'kysely';
import type { AgentRole } from '../agents/schema.js';
import type { Json, JsonObject, JsonWithDefault, Timestamp } from '../../platform/schema.js';

/** Amounts are integer minor units (cents) of an ISO 4217 currency (CONVENTIONS.md, Money). */
export type MinorUnits = number;

export const BILLING_CONNECTORS = ['ledger', 'stripe'] as const;
export type BillingConnectorName = (typeof BILLING_CONNECTORS)[number];
export type BillingSource = 'ledger' | 'stripe' | 'import';

export const SUBSCRIPTION_STATUSES = [
  'trialing',
  'active',
  'past_due',
  'canceled',
  'unpaid',
  'incomplete',
  'incomplete_expired',
  'paused',
] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];
export const INVOICE_STATUSES = ['draft', 'open', 'paid', 'void', 'uncollectible'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];
export const PAYMENT_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];
export const REFUND_STATUSES = ['pending', 'succeeded', 'failed', 'canceled'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];
export const MONEY_ACTION_KINDS = ['refund', 'credit', 'fee_waiver'] as const;
export type MoneyActionKind = (typeof MONEY_ACTION_KINDS)[number];
/** `processing`: the processor accepted a refund and reports its final status later (webhook). */
export const MONEY_ACTION_STATUSES = ['pending_approval', 'approved', 'processing', 'rejected', 'completed', 'failed'] as const;
export type MoneyActionStatus = (typeof MONEY_ACTION_STATUSES)[number];
export type BillingInterval = 'day' | 'week' | 'month' | 'year';

export interface BillingSettingsTable {
  workspace_id: string;
  connector: Generated<BillingConnectorName>;
  stripe_api_key_enc: string | null;
  stripe_webhook_secrets_enc: Generated<string[]>;
  stripe_api_base: string | null;
  outreach: JsonWithDefault<JsonObject>;
  triage: JsonWithDefault<JsonObject>;
  updated_at: Generated<Timestamp>;
}

export interface BillingApprovalLimitsTable {
  workspace_id: string;
  role: AgentRole;
  currency: string;
  max_minor: MinorUnits;
}

export interface BillingAccountsTable {
  id: Generated<string>;
  workspace_id: string;
  customer_id: string;
  source: BillingSource;
  external_id: string | null;
  name: string | null;
  email: string | null;
  currency: string;
  credit_balance_minor: Generated<MinorUnits>;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface BillingSubscriptionsTable {
  id: Generated<string>;
  workspace_id: string;
  account_id: string;
  external_id: string | null;
  plan_name: string;
  status: SubscriptionStatus;
  price_minor: MinorUnits;
  currency: string;
  billing_interval: Generated<BillingInterval>;
  current_period_end: Timestamp | null;
  cancel_at_period_end: Generated<boolean>;
  source_event_at: Timestamp | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface BillingInvoicesTable {
  id: Generated<string>;
  workspace_id: string;
  account_id: string;
  subscription_id: string | null;
  external_id: string | null;
  number: string | null;
  status: InvoiceStatus;
  currency: string;
  total_minor: MinorUnits;
  amount_paid_minor: Generated<MinorUnits>;
  amount_due_minor: MinorUnits;
  issued_at: Generated<Timestamp>;
  due_at: Timestamp | null;
  paid_at: Timestamp | null;
  source_event_at: Timestamp | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface BillingInvoiceLinesTable {
  id: Generated<string>;
  workspace_id: string;
  invoice_id: string;
  position: number;
  description: string;
  quantity: Generated<number>;
  unit_amount_minor: MinorUnits;
  amount_minor: MinorUnits;
  is_fee: Generated<boolean>;
}

export interface BillingPaymentsTable {
  id: Generated<string>;
  workspace_id: string;
  account_id: string;
  invoice_id: string | null;
  external_id: string | null;
  processor_reference: string | null;
  amount_minor: MinorUnits;
  currency: string;
  status: PaymentStatus;
  method_summary: string | null;
  failure_code: string | null;
  failure_message: string | null;
  /** Maintained by a database trigger on billing_refunds; never written by code. */
  refunded_minor: Generated<MinorUnits>;
  disputed: Generated<boolean>;
  paid_at: Generated<Timestamp>;
  source_event_at: Timestamp | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface BillingMoneyActionsTable {
  id: Generated<string>;
  workspace_id: string;
  customer_id: string;
  account_id: string;
  case_id: string | null;
  kind: MoneyActionKind;
  amount_minor: MinorUnits;
  currency: string;
  reason: string;
  payment_id: string | null;
  invoice_id: string | null;
  status: MoneyActionStatus;
  requested_by: string;
  decided_by: string | null;
  decided_at: Timestamp | null;
  decision_note: string | null;
  failure_message: string | null;
  /** Processor calls the execution job made (migration 0072). */
  execution_attempts: Generated<number>;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface BillingRefundsTable {
  id: Generated<string>;
  workspace_id: string;
  account_id: string;
  payment_id: string;
  money_action_id: string | null;
  external_id: string | null;
  amount_minor: MinorUnits;
  currency: string;
  status: RefundStatus;
  reason: string | null;
  source_event_at: Timestamp | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface BillingCreditsTable {
  id: Generated<string>;
  workspace_id: string;
  account_id: string;
  kind: 'credit' | 'fee_waiver';
  amount_minor: MinorUnits;
  currency: string;
  invoice_id: string | null;
  money_action_id: string | null;
  external_id: string | null;
  reason: string | null;
  created_at: Generated<Timestamp>;
}

export type WebhookEventStatus = 'received' | 'processed' | 'ignored' | 'failed';

export interface BillingWebhookEventsTable {
  id: Generated<string>;
  workspace_id: string;
  provider: 'stripe';
  event_id: string;
  type: string;
  event_created_at: Timestamp;
  payload: Json<JsonObject>;
  status: Generated<WebhookEventStatus>;
  error: string | null;
  received_at: Generated<Timestamp>;
  processed_at: Timestamp | null;
}

/** What the billing listener moved for one customer merge (migration 0072), so its undo is exact. */
export interface BillingCustomerMergeMovesTable {
  merge_id: string;
  workspace_id: string;
  source_customer_id: string;
  target_customer_id: string;
  account_ids: Generated<string[]>;
  money_action_ids: Generated<string[]>;
  dispute_ids: Generated<string[]>;
  moved_at: Generated<Timestamp>;
  undone_at: Timestamp | null;
}

export interface BillingTables {
  billing_settings: BillingSettingsTable;
  billing_approval_limits: BillingApprovalLimitsTable;
  billing_accounts: BillingAccountsTable;
  billing_subscriptions: BillingSubscriptionsTable;
  billing_invoices: BillingInvoicesTable;
  billing_invoice_lines: BillingInvoiceLinesTable;
  billing_payments: BillingPaymentsTable;
  billing_money_actions: BillingMoneyActionsTable;
  billing_refunds: BillingRefundsTable;
  billing_credits: BillingCreditsTable;
  billing_webhook_events: BillingWebhookEventsTable;
  billing_customer_merge_moves: BillingCustomerMergeMovesTable;
}
