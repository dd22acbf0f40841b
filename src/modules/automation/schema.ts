import type { Generated } from 'kysely';
import type { Json, JsonWithDefault, Timestamp } from '../../platform/schema.js';
import type { RuleAction, RuleConditions } from './rule-schema.js';

/** Kysely types of the automation tables (migrations/0110_automation_triggers.sql). */

export const TRIGGER_EVENTS = [
  'case.created',
  'case.updated',
  'case.customer_replied',
  'case.agent_replied',
  'sla.warning',
  'sla.breach',
  'billing.event',
] as const;
export type TriggerEvent = (typeof TRIGGER_EVENTS)[number];
export type RuleKind = 'trigger' | 'automation';

export interface AutomationTriggersTable {
  id: Generated<string>;
  workspace_id: string;
  name: string;
  description: Generated<string>;
  enabled: Generated<boolean>;
  position: number;
  events: TriggerEvent[];
  conditions: Json<RuleConditions>;
  actions: Json<RuleAction[]>;
  version: Generated<number>;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface AutomationWebhookSecretsTable {
  workspace_id: string;
  rule_kind: RuleKind;
  rule_id: string;
  sealed_secret: string;
  created_at: Generated<Timestamp>;
}

export interface AutomationRunsTable {
  id: Generated<number>;
  workspace_id: string;
  rule_kind: RuleKind;
  rule_id: string;
  rule_name: string;
  case_id: string;
  event_id: number | null;
  event_type: string | null;
  root_key: string | null;
  outcome: 'applied' | 'skipped';
  skip_reason: string | null;
  action_results: JsonWithDefault<unknown[]>;
  depth: Generated<number>;
  created_at: Generated<Timestamp>;
}

export interface AutomationWebhookDeliveriesTable {
  id: Generated<number>;
  workspace_id: string;
  rule_kind: RuleKind;
  rule_id: string;
  case_id: string | null;
  delivery_id: string;
  url: string;
  attempt: number;
  outcome: 'delivered' | 'failed' | 'given_up';
  status_code: number | null;
  error: string | null;
  duration_ms: Generated<number>;
  created_at: Generated<Timestamp>;
}

export interface AutomationTables {
  automation_triggers: AutomationTriggersTable;
  automation_webhook_secrets: AutomationWebhookSecretsTable;
  automation_runs: AutomationRunsTable;
  automation_webhook_deliveries: AutomationWebhookDeliveriesTable;
}
