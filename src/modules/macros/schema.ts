import type { Generated } from 'kysely';
import type { JsonWithDefault, Timestamp } from '../../platform/schema.js';
import type { CaseCategory, CasePriority, CaseStatus } from '../cases/schema.js';

/** Kysely types of the macros table (migrations/0120_macros.sql). */

export const MACRO_VISIBILITIES = ['public', 'internal'] as const;
export type MacroVisibility = (typeof MACRO_VISIBILITIES)[number];

/** What applying a macro changes on a case; absent keys leave the field alone. */
export interface MacroChanges {
  status?: CaseStatus;
  priority?: CasePriority;
  category?: CaseCategory;
  team_id?: string | null;
  queue_id?: string | null;
  /** An agent id, "me" (the agent applying), or null (unassign). */
  assignee?: string | null;
  add_tags?: string[];
  remove_tags?: string[];
}

export interface MacrosTable {
  id: Generated<string>;
  workspace_id: string;
  owner_agent_id: string | null;
  name: string;
  description: Generated<string>;
  body: Generated<string>;
  visibility: Generated<MacroVisibility>;
  changes: JsonWithDefault<MacroChanges>;
  usage_count: Generated<number>;
  last_used_at: Timestamp | null;
  version: Generated<number>;
  created_by: string | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface MacroTables {
  macros: MacrosTable;
}
