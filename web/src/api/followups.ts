/**
 * The follow-ups API as the web app uses it: snoozing a case, the case's follow-up plan, the
 * agent's own reminders and the follow-up settings. Shapes follow src/modules/followups/views.ts
 * (docs/FOLLOWUPS.md).
 */
import { request } from './http';
import type { Page } from './types';

const enc = encodeURIComponent;

export interface Snooze {
  case_id: string;
  until: string;
  note: string;
  snoozed_by: string | null;
  created_at: string;
}

export interface FollowupCaseRef {
  id: string;
  number: number;
  subject: string;
  status: string;
  assignee_id: string | null;
  team_id: string | null;
}

export type ReminderStatus = 'upcoming' | 'due' | 'done';

export interface Reminder {
  id: string;
  case_id: string;
  case: FollowupCaseRef | null;
  agent_id: string;
  created_by: string | null;
  remind_at: string;
  note: string;
  status: ReminderStatus;
  due_at: string | null;
  done_at: string | null;
  created_at: string;
}

export interface CaseFollowups {
  snooze: Snooze | null;
  pending_reminder: {
    cycle: number;
    pending_since: string | null;
    reminder_due_at: string | null;
    reminder_sent_at: string | null;
    solve_due_at: string | null;
  } | null;
  checkin: { cycle: number; due_at: string | null; sent_at: string | null } | null;
  reminders: Reminder[];
  settings: {
    sla_policy_id: string | null;
    pending_reminder_after_days: number | null;
    pending_solve_after_days: number | null;
    checkin_after_days: number | null;
  };
}

export interface FollowupSettings {
  sla_policy_id: string | null;
  pending_reminder_after_days: number | null;
  pending_solve_after_days: number | null;
  checkin_after_days: number | null;
  reminder_body: string | null;
  checkin_body: string | null;
  updated_at: string | null;
}

export type FollowupSettingsInput = Omit<FollowupSettings, 'sla_policy_id' | 'updated_at'>;

export interface FollowupSettingsList {
  default: FollowupSettings;
  policies: FollowupSettings[];
  built_in: { reminder_body: { en: string; de: string }; checkin_body: { en: string; de: string } };
}

export const followups = {
  ofCase: (caseId: string, signal?: AbortSignal) => request<CaseFollowups>('GET', `/cases/${enc(caseId)}/followups`, { signal }),
  snooze: (caseId: string, until: string, note: string) =>
    request<Snooze>('POST', `/cases/${enc(caseId)}/snooze`, { body: { until, ...(note ? { note } : {}) } }),
  unsnooze: (caseId: string) => request<null>('DELETE', `/cases/${enc(caseId)}/snooze`),
  snoozed: (scope: 'mine' | 'team', signal?: AbortSignal) =>
    request<Page<{ snooze: Snooze; case: FollowupCaseRef }>>('GET', '/followups/snoozed', { query: { scope, limit: 100 }, signal }),
};

export const reminders = {
  create: (caseId: string, remindAt: string, note: string) =>
    request<Reminder>('POST', `/cases/${enc(caseId)}/reminders`, { body: { remind_at: remindAt, note }, idempotent: true }),
  list: (status: ReminderStatus, cursor?: string | null, signal?: AbortSignal) =>
    request<Page<Reminder>>('GET', '/reminders', { query: { status, limit: 50, cursor: cursor ?? undefined }, signal }),
  done: (id: string) => request<Reminder>('POST', `/reminders/${enc(id)}/done`),
  remove: (id: string) => request<null>('DELETE', `/reminders/${enc(id)}`),
};

export const followupSettings = {
  list: (signal?: AbortSignal) => request<FollowupSettingsList>('GET', '/followup-settings', { signal }),
  putDefault: (input: FollowupSettingsInput) => request<FollowupSettings>('PUT', '/followup-settings/default', { body: input }),
  putPolicy: (policyId: string, input: FollowupSettingsInput) =>
    request<FollowupSettings>('PUT', `/followup-settings/policies/${enc(policyId)}`, { body: input }),
  removePolicy: (policyId: string) => request<null>('DELETE', `/followup-settings/policies/${enc(policyId)}`),
};
