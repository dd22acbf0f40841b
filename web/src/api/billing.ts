/**
 * The billing API (docs/BILLING.md): a customer's billing state, money actions and their approval,
 * the billing settings and the CSV import. Amounts are integer minor units of `currency`.
 */
import { asList, asPage, request } from './http';
import type { AgentRole, Ref } from './types';

const enc = encodeURIComponent;

export interface MoneyAmount {
  currency: string;
  amount_minor: number;
}

export interface BillingAccount {
  id: string;
  customer_id: string;
  source: 'ledger' | 'stripe' | 'import';
  external_id: string | null;
  name: string | null;
  email: string | null;
  currency: string;
  credit_balance_minor: number;
  created_at: string;
  updated_at: string;
}

export interface Subscription {
  id: string;
  account_id: string;
  external_id: string | null;
  plan_name: string;
  status: string;
  price_minor: number;
  currency: string;
  interval: 'day' | 'week' | 'month' | 'year';
  current_period_end: string | null;
  cancel_at_period_end: boolean;
}

export interface InvoiceLine {
  id: string;
  position: number;
  description: string;
  quantity: number;
  unit_amount_minor: number;
  amount_minor: number;
  is_fee: boolean;
}

export interface Invoice {
  id: string;
  account_id: string;
  subscription_id: string | null;
  external_id: string | null;
  number: string | null;
  status: string;
  currency: string;
  total_minor: number;
  amount_paid_minor: number;
  amount_due_minor: number;
  issued_at: string;
  due_at: string | null;
  paid_at: string | null;
  lines: InvoiceLine[];
}

export interface Payment {
  id: string;
  account_id: string;
  invoice_id: string | null;
  external_id: string | null;
  processor_reference: string | null;
  amount_minor: number;
  currency: string;
  status: string;
  method_summary: string | null;
  failure_code: string | null;
  failure_message: string | null;
  refunded_minor: number;
  /** amount - refunded for a succeeded payment, otherwise 0. */
  refundable_minor: number;
  disputed: boolean;
  paid_at: string;
}

export interface Refund {
  id: string;
  account_id: string;
  payment_id: string;
  money_action_id: string | null;
  amount_minor: number;
  currency: string;
  status: string;
  reason: string | null;
  created_at: string;
}

export interface Credit {
  id: string;
  account_id: string;
  money_action_id: string | null;
  kind: 'credit' | 'fee_waiver';
  amount_minor: number;
  currency: string;
  invoice_id: string | null;
  reason: string | null;
  created_at: string;
}

export interface BillingState {
  summary: {
    open_balance: MoneyAmount[];
    credit_balance: MoneyAmount[];
    last_failed_payment: Payment | null;
    open_disputes: number;
  };
  accounts: BillingAccount[];
  subscriptions: Subscription[];
  invoices: Invoice[];
  payments: Payment[];
  refunds: Refund[];
  credits: Credit[];
}

export const MONEY_ACTION_KINDS = ['refund', 'credit', 'fee_waiver'] as const;
export type MoneyActionKind = (typeof MONEY_ACTION_KINDS)[number];
/**
 * pending_approval -> approved (being carried out) -> completed | failed; or rejected. A refund the
 * processor accepted but has not finished (Stripe answered `pending`) waits as `processing` until
 * the processor's webhook completes or fails it.
 */
export type MoneyActionStatus = 'pending_approval' | 'approved' | 'processing' | 'rejected' | 'completed' | 'failed';

export interface MoneyAction {
  id: string;
  customer_id: string;
  account_id: string;
  case_id: string | null;
  kind: MoneyActionKind;
  amount_minor: number;
  currency: string;
  reason: string;
  payment_id: string | null;
  invoice_id: string | null;
  status: MoneyActionStatus;
  /** The name is '' when the agent is unknown (deleted). */
  requested_by: Ref;
  decided_by: Ref | null;
  decided_at: string | null;
  decision_note: string | null;
  failure_message: string | null;
  created_at: string;
}

export interface NewMoneyAction {
  kind: MoneyActionKind;
  amount_minor: number;
  currency: string;
  reason: string;
  payment_id?: string;
  invoice_id?: string;
  /** A credit names its account when the customer has several in the currency. */
  account_id?: string;
}

export type ListPayload<T> = T[] | { data: T[]; next_cursor?: string | null };

export const customerBilling = {
  get: (customerId: string, signal?: AbortSignal) => request<BillingState>('GET', `/customers/${enc(customerId)}/billing`, { signal }),
};

export const moneyActions = {
  ofCase: async (caseId: string, signal?: AbortSignal) =>
    asList(await request<ListPayload<MoneyAction>>('GET', `/cases/${enc(caseId)}/money-actions`, { signal })),
  /** `idempotencyKey` is made once per dialog opening: a double click or a retry never pays out twice. */
  create: (caseId: string, action: NewMoneyAction, idempotencyKey: string) =>
    request<MoneyAction>('POST', `/cases/${enc(caseId)}/money-actions`, { body: action, idempotencyKey }),
  list: async (query: { status?: MoneyActionStatus; cursor?: string; limit?: number }, signal?: AbortSignal) =>
    asPage(await request<ListPayload<MoneyAction>>('GET', '/money-actions', { query: { limit: 100, ...query }, signal })),
  approve: (id: string, note: string) => request<MoneyAction>('POST', `/money-actions/${enc(id)}/approve`, { body: note ? { note } : {} }),
  reject: (id: string, note: string) => request<MoneyAction>('POST', `/money-actions/${enc(id)}/reject`, { body: note ? { note } : {} }),
};

// ---------- settings (admins) ----------

export type BillingConnectorName = 'ledger' | 'stripe';

export interface StripeSettings {
  connector: BillingConnectorName;
  /** The key itself is never sent back: whether one is stored, its last four characters, and
   * `readable: false` when it no longer decrypts (the instance secret changed: enter it again). */
  api_key: { set: boolean; last4: string | null; readable: boolean };
  webhook_secrets: { last4: string }[];
  api_base: string | null;
  /** Paste into Stripe (Developers > Webhooks) as the endpoint URL. */
  webhook_url: string;
  updated_at: string | null;
}

export interface StripeSettingsChanges {
  /** null removes the stored key. */
  api_key?: string | null;
  /** Replaces the stored secrets (several while a secret is being rolled). */
  webhook_secrets?: string[];
  api_base?: string | null;
}

export interface ApprovalLimit {
  role: AgentRole;
  currency: string;
  max_minor: number;
}

export const OUTREACH_TRIGGERS = ['payment_failed', 'dispute_opened'] as const;
export type OutreachTrigger = (typeof OUTREACH_TRIGGERS)[number];

/** Whether Baton writes to the customer, and the admin's own text (null: the built-in one). */
export interface OutreachTemplate {
  enabled: boolean;
  subject: string | null;
  body: string | null;
}

export type OutreachSettings = Record<OutreachTrigger, OutreachTemplate>;

export interface OutreachSettingsView extends OutreachSettings {
  placeholders: string[];
  /** The built-in texts per language, used where subject or body is null. */
  defaults: Record<OutreachTrigger, Record<string, { subject: string; body: string }>>;
}

export const TRIAGE_SIGNALS = ['failed_payment', 'open_dispute', 'recent_refund'] as const;
export type TriageSignal = (typeof TRIAGE_SIGNALS)[number];

export interface TriageSettings {
  enabled: boolean;
  failed_payment_days: number;
  refund_days: number;
  /** Where a case with each signal goes; no route: it stays where it was routed. */
  routes: Partial<Record<TriageSignal, { team_id: string; queue_id: string | null }>>;
}

export interface ApprovalLimits {
  limits: ApprovalLimit[];
  /** What applies to a role in a currency without a row of its own. */
  defaults: { role: AgentRole; max_minor: number }[];
}

export const billingSettings = {
  stripe: (signal?: AbortSignal) => request<StripeSettings>('GET', '/billing/settings/stripe', { signal }),
  saveStripe: (changes: StripeSettingsChanges) => request<StripeSettings>('PUT', '/billing/settings/stripe', { body: changes }),
  saveConnector: (connector: BillingConnectorName) =>
    request<StripeSettings>('PUT', '/billing/settings/connector', { body: { connector } }),
  limits: (signal?: AbortSignal) => request<ApprovalLimits>('GET', '/billing/approval-limits', { signal }),
  saveLimits: (limits: ApprovalLimit[]) => request<ApprovalLimits>('PUT', '/billing/approval-limits', { body: { limits } }),
  outreach: (signal?: AbortSignal) => request<OutreachSettingsView>('GET', '/billing/settings/outreach', { signal }),
  saveOutreach: (settings: OutreachSettings) => request<OutreachSettingsView>('PUT', '/billing/settings/outreach', { body: settings }),
  triage: (signal?: AbortSignal) => request<TriageSettings>('GET', '/billing/settings/triage', { signal }),
  saveTriage: (settings: TriageSettings) => request<TriageSettings>('PUT', '/billing/settings/triage', { body: settings }),
};

// ---------- Stripe webhook events (admins) ----------

export const WEBHOOK_EVENT_STATUSES = ['received', 'processed', 'ignored', 'failed'] as const;
/** received: stored, not yet applied; processed: applied; ignored: a type Baton does not use; failed: see `error`. */
export type WebhookEventStatus = (typeof WEBHOOK_EVENT_STATUSES)[number];

export interface WebhookEvent {
  id: string;
  provider: 'stripe';
  /** Stripe's event id (evt_…), to look the delivery up in Stripe's dashboard. */
  event_id: string;
  type: string;
  status: WebhookEventStatus;
  /** Why a failed event was not applied. */
  error: string | null;
  event_created_at: string;
  received_at: string;
  processed_at: string | null;
}

export const webhookEvents = {
  /** Newest first; `status` narrows the list (the server has no "all statuses" value: leave it out). */
  list: async (query: { status?: WebhookEventStatus; cursor?: string; limit?: number }, signal?: AbortSignal) =>
    asPage(await request<ListPayload<WebhookEvent>>('GET', '/billing/webhook-events', { query, signal })),
  /**
   * Applies a failed event again: the answer is the event, `processed` (or `ignored`) when it applies
   * now, still `failed` with the new error otherwise. 409 `billing.webhook_event_not_failed` when it
   * is no longer failed (`details.status`).
   */
  retry: (id: string) => request<WebhookEvent>('POST', `/billing/webhook-events/${enc(id)}/retry`),
};

// ---------- CSV import (supervisors) ----------

export const IMPORT_KINDS = ['accounts', 'invoices', 'payments'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export interface ImportReport {
  dry_run: boolean;
  accepted: number;
  rejected: { row: number; errors: { field: string; code: string; message: string }[] }[];
}

export const billingImport = {
  run: (kind: ImportKind, csv: string, dryRun: boolean) =>
    request<ImportReport>('POST', '/billing/import', { body: { kind, csv, dry_run: dryRun }, idempotent: !dryRun }),
};
