import { Type, type Static } from 'typebox';
import type { ReminderRow } from './reminder-store.js';
import type { SettingsFields, SettingsRow } from './settings-store.js';
import type { SnoozeRow } from './snooze-store.js';
import type { PlanRow } from './plan-store.js';

/** Response shapes of the follow-ups API and their TypeBox schemas. */

const Id = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const SnoozeViewSchema = Type.Object({
  case_id: Id,
  until: DateTime,
  note: Type.String(),
  snoozed_by: Nullable(Id),
  created_at: DateTime,
});
export type SnoozeView = Static<typeof SnoozeViewSchema>;

export const snoozeView = (row: SnoozeRow): SnoozeView => ({
  case_id: row.case_id,
  until: row.until_at.toISOString(),
  note: row.note,
  snoozed_by: row.snoozed_by,
  created_at: row.created_at.toISOString(),
});

export const CaseRefSchema = Type.Object({
  id: Id,
  number: Type.Integer(),
  subject: Type.String(),
  status: Type.String(),
  assignee_id: Nullable(Id),
  team_id: Nullable(Id),
});
export type CaseRef = Static<typeof CaseRefSchema>;

export const SnoozedCaseSchema = Type.Object({ snooze: SnoozeViewSchema, case: CaseRefSchema });

export const ReminderViewSchema = Type.Object({
  id: Id,
  case_id: Id,
  case: Nullable(CaseRefSchema),
  agent_id: Id,
  created_by: Nullable(Id),
  remind_at: DateTime,
  note: Type.String(),
  status: Type.Enum(['upcoming', 'due', 'done']),
  due_at: Nullable(DateTime),
  done_at: Nullable(DateTime),
  created_at: DateTime,
});
export type ReminderView = Static<typeof ReminderViewSchema>;

export const reminderView = (row: ReminderRow, kase: CaseRef | null): ReminderView => ({
  id: row.id,
  case_id: row.case_id,
  case: kase,
  agent_id: row.agent_id,
  created_by: row.created_by,
  remind_at: row.remind_at.toISOString(),
  note: row.note,
  status: row.status,
  due_at: iso(row.due_at),
  done_at: iso(row.done_at),
  created_at: row.created_at.toISOString(),
});

const Days = Nullable(Type.Integer({ minimum: 1, maximum: 365 }));

export const SettingsViewSchema = Type.Object({
  sla_policy_id: Nullable(Id),
  pending_reminder_after_days: Days,
  pending_solve_after_days: Days,
  checkin_after_days: Days,
  reminder_body: Nullable(Type.String({ description: 'null: the built-in text in the customer’s language' })),
  checkin_body: Nullable(Type.String({ description: 'null: the built-in text in the customer’s language' })),
  updated_at: Nullable(DateTime),
});
export type SettingsView = Static<typeof SettingsViewSchema>;

export const EMPTY_SETTINGS: SettingsFields = {
  pending_reminder_after_days: null,
  pending_solve_after_days: null,
  checkin_after_days: null,
  reminder_body: null,
  checkin_body: null,
};

export function settingsView(row: SettingsRow | undefined, policyId: string | null): SettingsView {
  const fields = row ?? EMPTY_SETTINGS;
  return {
    sla_policy_id: policyId,
    pending_reminder_after_days: fields.pending_reminder_after_days,
    pending_solve_after_days: fields.pending_solve_after_days,
    checkin_after_days: fields.checkin_after_days,
    reminder_body: fields.reminder_body,
    checkin_body: fields.checkin_body,
    updated_at: row ? row.updated_at.toISOString() : null,
  };
}

const BuiltIn = Type.Object({ en: Type.String(), de: Type.String() });
export const SettingsListSchema = Type.Object({
  default: SettingsViewSchema,
  policies: Type.Array(SettingsViewSchema),
  built_in: Type.Object({ reminder_body: BuiltIn, checkin_body: BuiltIn }),
});
export type SettingsList = Static<typeof SettingsListSchema>;

export const CaseFollowupsSchema = Type.Object({
  snooze: Nullable(SnoozeViewSchema),
  pending_reminder: Nullable(
    Type.Object({
      cycle: Type.Integer(),
      pending_since: Nullable(DateTime),
      reminder_due_at: Nullable(DateTime),
      reminder_sent_at: Nullable(DateTime),
      solve_due_at: Nullable(DateTime),
    }),
  ),
  checkin: Nullable(Type.Object({ cycle: Type.Integer(), due_at: Nullable(DateTime), sent_at: Nullable(DateTime) })),
  reminders: Type.Array(ReminderViewSchema),
  settings: Type.Object({
    sla_policy_id: Nullable(Id),
    pending_reminder_after_days: Days,
    pending_solve_after_days: Days,
    checkin_after_days: Days,
  }),
});
export type CaseFollowups = Static<typeof CaseFollowupsSchema>;

export function pendingPlanView(plan: PlanRow | undefined): CaseFollowups['pending_reminder'] {
  if (!plan || plan.pending_cycle === 0) return null;
  return {
    cycle: plan.pending_cycle,
    pending_since: iso(plan.pending_since),
    reminder_due_at: iso(plan.reminder_due_at),
    reminder_sent_at: iso(plan.reminder_sent_at),
    solve_due_at: iso(plan.solve_due_at),
  };
}

export function checkinPlanView(plan: PlanRow | undefined): CaseFollowups['checkin'] {
  if (!plan || plan.solve_cycle === 0) return null;
  return { cycle: plan.solve_cycle, due_at: iso(plan.checkin_due_at), sent_at: iso(plan.checkin_sent_at) };
}
