import type { Generated } from 'kysely';
import type { NullableJson, JsonObject, Timestamp } from '../../platform/schema.js';

export const DISPUTE_REASONS = [
  'bank_cannot_process',
  'check_returned',
  'credit_not_processed',
  'customer_initiated',
  'debit_not_authorized',
  'duplicate',
  'fraudulent',
  'general',
  'incorrect_account_details',
  'insufficient_funds',
  'noncompliant',
  'product_not_received',
  'product_unacceptable',
  'subscription_canceled',
  'unrecognized',
] as const;
export type DisputeReason = (typeof DISPUTE_REASONS)[number];

/** Stripe's dispute statuses; `won`, `lost`, `warning_closed` and `prevented` are final. */
export const DISPUTE_STATUSES = [
  'warning_needs_response',
  'warning_under_review',
  'warning_closed',
  'needs_response',
  'under_review',
  'won',
  'lost',
  'prevented',
] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

export const EVIDENCE_KINDS = [
  'receipt',
  'customer_communication',
  'refund_policy',
  'cancellation_policy',
  'service_documentation',
  'shipping_documentation',
  'prior_undisputed_payments',
  'customer_details',
  'uncategorized',
] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export interface DisputesTable {
  id: Generated<string>;
  workspace_id: string;
  customer_id: string;
  account_id: string | null;
  payment_id: string | null;
  case_id: string | null;
  source: 'stripe' | 'manual';
  external_id: string | null;
  charge_external_id: string | null;
  amount_minor: number;
  currency: string;
  reason: DisputeReason;
  network_reason_code: string | null;
  status: DisputeStatus;
  evidence_due_at: Timestamp | null;
  funds_withdrawn_minor: Generated<number>;
  funds_reinstated_minor: Generated<number>;
  outcome: 'won' | 'lost' | null;
  outcome_at: Timestamp | null;
  source_event_at: Timestamp | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface DisputeEvidenceItemsTable {
  id: Generated<string>;
  workspace_id: string;
  dispute_id: string;
  kind: EvidenceKind;
  title: string;
  body: Generated<string>;
  file_id: string | null;
  origin: 'prefill' | 'agent';
  included: Generated<boolean>;
  position: number;
  /** Set when an agent changes a prefilled item; re-running the prefill keeps edited items. */
  edited_at: Timestamp | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface DisputeSettingsTable {
  workspace_id: string;
  refund_policy: string;
  cancellation_policy: string;
  updated_at: Generated<Timestamp>;
}

export type EscalationThreshold = '72h' | '24h';

export interface DisputeEscalationsTable {
  dispute_id: string;
  threshold: EscalationThreshold;
  workspace_id: string;
  escalated_at: Generated<Timestamp>;
}

export interface DisputeSubmissionsTable {
  dispute_id: string;
  workspace_id: string;
  packet_file_id: string | null;
  packet_sha256: string;
  submitted_by: string | null;
  submitted_at: Generated<Timestamp>;
  processor_response: NullableJson<JsonObject>;
}

export interface DisputeTables {
  disputes: DisputesTable;
  dispute_evidence_items: DisputeEvidenceItemsTable;
  dispute_submissions: DisputeSubmissionsTable;
  dispute_settings: DisputeSettingsTable;
  dispute_escalations: DisputeEscalationsTable;
}

export const FINAL_DISPUTE_STATUSES: readonly DisputeStatus[] = ['won', 'lost', 'warning_closed', 'prevented'];
export const OPEN_DISPUTE_STATUSES: readonly DisputeStatus[] = DISPUTE_STATUSES.filter((s) => !FINAL_DISPUTE_STATUSES.includes(s));
export const isFinalDisputeStatus = (status: DisputeStatus): boolean => FINAL_DISPUTE_STATUSES.includes(status);
