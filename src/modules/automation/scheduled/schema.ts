import type { Generated } from 'kysely';
import type { Json, Timestamp } from '../../../platform/schema.js';
import type { RuleAction, RuleConditions } from '../rule-schema.js';

/** Kysely types of the scheduled automation tables (migrations/0115_automation_scheduled.sql). */

export interface ScheduledAutomationsTable {
  id: Generated<string>;
  workspace_id: string;
  name: string;
  description: Generated<string>;
  enabled: Generated<boolean>;
  position: number;
  conditions: Json<RuleConditions>;
  actions: Json<RuleAction[]>;
  version: Generated<number>;
  last_run_at: Timestamp | null;
  resume_after_case_id: string | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface ScheduledAutomationActsTable {
  rule_id: string;
  case_id: string;
  workspace_id: string;
  case_version: number;
  case_updated_at: Timestamp;
  acted_at: Generated<Timestamp>;
  times: Generated<number>;
}

export interface ScheduledAutomationTables {
  scheduled_automations: ScheduledAutomationsTable;
  scheduled_automation_acts: ScheduledAutomationActsTable;
}
