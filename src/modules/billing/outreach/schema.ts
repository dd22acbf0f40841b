import type { Generated } from 'kysely';
import type { Timestamp } from '../../../platform/schema.js';

/** Tables of proactive outreach and billing-aware triage (migrations/0071_billing_outreach.sql). */

export type OutreachTrigger = 'payment_failed' | 'dispute_opened';

export interface BillingOutreachCasesTable {
  workspace_id: string;
  trigger: OutreachTrigger;
  source_id: string;
  case_id: string;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface BillingTriagedCasesTable {
  case_id: string;
  workspace_id: string;
  signals: Generated<string[]>;
  triaged_at: Generated<Timestamp>;
}

export interface BillingOutreachTables {
  billing_outreach_cases: BillingOutreachCasesTable;
  billing_triaged_cases: BillingTriagedCasesTable;
}
