import type { Generated } from 'kysely';
import type { Timestamp } from '../../platform/schema.js';

/** Kysely types of the follow-up tables (migrations/0130_followups.sql). */

export const REMINDER_STATUSES = ['upcoming', 'due', 'done'] as const;
export type ReminderStatus = (typeof REMINDER_STATUSES)[number];

export interface FollowupSnoozesTable {
  case_id: string;
  workspace_id: string;
  id: Generated<string>;
  until_at: Timestamp;
  note: Generated<string>;
  snoozed_by: string | null;
  created_at: Generated<Timestamp>;
}

export interface FollowupCasePlansTable {
  case_id: string;
  workspace_id: string;
  pending_cycle: Generated<number>;
  pending_since: Timestamp | null;
  reminder_due_at: Timestamp | null;
  reminder_sent_at: Timestamp | null;
  solve_due_at: Timestamp | null;
  auto_solved_at: Timestamp | null;
  solve_cycle: Generated<number>;
  solved_since: Timestamp | null;
  checkin_due_at: Timestamp | null;
  checkin_sent_at: Timestamp | null;
  updated_at: Generated<Timestamp>;
}

export interface FollowupSettingsTable {
  id: Generated<string>;
  workspace_id: string;
  sla_policy_id: string | null;
  pending_reminder_after_days: number | null;
  pending_solve_after_days: number | null;
  checkin_after_days: number | null;
  reminder_body: string | null;
  checkin_body: string | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface FollowupRemindersTable {
  id: Generated<string>;
  workspace_id: string;
  case_id: string;
  agent_id: string;
  created_by: string | null;
  remind_at: Timestamp;
  note: Generated<string>;
  status: Generated<ReminderStatus>;
  due_at: Timestamp | null;
  done_at: Timestamp | null;
  created_at: Generated<Timestamp>;
}

export interface FollowupTables {
  followup_snoozes: FollowupSnoozesTable;
  followup_case_plans: FollowupCasePlansTable;
  followup_settings: FollowupSettingsTable;
  followup_reminders: FollowupRemindersTable;
}
