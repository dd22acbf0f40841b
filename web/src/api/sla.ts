/**
 * The SLA API as the web app uses it: a case's targets, the breaching-soon and breached lists,
 * business hours, SLA policies and the attainment report. Shapes follow src/modules/sla/ route
 * schemas (docs/SLA.md).
 */
import { asPage, request } from './http';
import type { CaseCategory, CasePriority, CaseRow, Channel, Page } from './types';

const enc = encodeURIComponent;

export const SLA_METRICS = ['first_reply', 'next_reply', 'resolution'] as const;
export type SlaMetric = (typeof SLA_METRICS)[number];
export type TargetState = 'running' | 'paused' | 'met' | 'breached';
export type TimeBasis = 'business' | 'calendar';
export const PAUSABLE_STATUSES = ['new', 'open', 'pending', 'on_hold'] as const;
export type PausableStatus = (typeof PAUSABLE_STATUSES)[number];
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface SlaTarget {
  metric: SlaMetric;
  cycle: number;
  state: TargetState;
  target_minutes: number;
  started_at: string;
  /** Null while paused. */
  due_at: string | null;
  /** Policy time (business or calendar) left; negative when overdue; null when met. */
  time_left_seconds: number | null;
  elapsed_seconds: number;
  breached: boolean;
  paused_at: string | null;
  warned_at: string | null;
  breached_at: string | null;
  met_at: string | null;
}

export interface CaseSla {
  case_id: string;
  /** preset: the regulatory preset key of the policy (older servers leave it out). */
  policy: { id: string | null; name: string; preset?: string | null } | null;
  time_basis: TimeBasis | null;
  schedule: { source: 'policy' | 'team' | 'default' | 'calendar'; time_zone: string } | null;
  targets: SlaTarget[];
}

export interface SlaCaseItem {
  case: CaseRow;
  worst_target: {
    metric: SlaMetric;
    cycle: number;
    target_minutes: number;
    due_at: string;
    seconds_until_due: number;
    breached_at: string | null;
    paused: boolean;
  };
}

export type SlaListState = 'breaching_soon' | 'breached';

export interface TimeRange {
  start: string;
  end: string;
}

export interface Holiday {
  date?: string;
  month?: number;
  day?: number;
  name?: string;
}

export interface Schedule {
  id: string;
  name: string;
  time_zone: string;
  weekly: Record<Weekday, TimeRange[]>;
  holidays: Holiday[];
  is_default: boolean;
  team_ids: string[];
  version: number;
  created_at: string;
  updated_at: string;
}

export interface ScheduleInput {
  name: string;
  time_zone: string;
  weekly: Partial<Record<Weekday, TimeRange[]>>;
  holidays: Holiday[];
  is_default: boolean;
}

export interface TeamSchedule {
  team_id: string;
  schedule: Schedule | null;
  effective: { source: 'team' | 'default' | 'calendar'; schedule_id: string | null; time_zone: string };
}

export interface PolicyConditions {
  priority?: CasePriority[];
  category?: CaseCategory[];
  team_ids?: string[];
  channel?: Channel[];
  customer_tags?: string[];
  customer_tiers?: string[];
  case_tags?: string[];
}

export type EscalationAction =
  | { type: 'notify'; agent_ids?: string[]; roles?: ('agent' | 'supervisor' | 'admin')[]; assignee?: boolean }
  | { type: 'reassign'; team_id?: string; queue_id?: string; agent_id?: string }
  | { type: 'raise_priority'; to?: 'high' | 'urgent' }
  | { type: 'add_follower'; agent_id: string };

export interface PolicyTargets {
  first_reply_minutes: number | null;
  next_reply_minutes: number | null;
  resolution_minutes: number | null;
}

export interface Policy {
  id: string;
  name: string;
  description: string;
  position: number;
  enabled: boolean;
  conditions: PolicyConditions;
  targets: PolicyTargets;
  time_basis: TimeBasis;
  schedule_id: string | null;
  pause_statuses: PausableStatus[];
  warning_minutes: number;
  escalations: { warning: EscalationAction[]; breach: EscalationAction[] };
  /** The regulatory preset the policy was created from (older servers leave it out). */
  preset?: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface PolicyInput {
  name: string;
  description: string;
  enabled: boolean;
  conditions: PolicyConditions;
  targets: PolicyTargets;
  time_basis: TimeBasis;
  schedule_id: string | null;
  pause_statuses: PausableStatus[];
  warning_minutes: number;
  escalations: { warning: EscalationAction[]; breach: EscalationAction[] };
}

export interface MetricAttainment {
  metric: SlaMetric;
  met_on_time: number;
  met_late: number;
  breached: number;
  attainment_percent: number | null;
  average_seconds_to_meet: number | null;
  median_seconds_to_meet: number | null;
}

export interface AttainmentReport {
  from: string;
  to: string;
  metrics: MetricAttainment[];
}

async function everyPage<T>(path: string, signal?: AbortSignal): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 20; i++) {
    const page = asPage(await request<Page<T>>('GET', path, { query: { limit: 100, cursor }, signal }));
    items.push(...page.data);
    if (!page.next_cursor) break;
    cursor = page.next_cursor;
  }
  return items;
}

export const sla = {
  ofCase: (caseId: string, signal?: AbortSignal) => request<CaseSla>('GET', `/cases/${enc(caseId)}/sla`, { signal }),
  cases: (query: { state: SlaListState; within_minutes?: number; limit?: number; cursor?: string | null }, signal?: AbortSignal) =>
    request<Page<SlaCaseItem>>('GET', '/sla/cases', { query: { ...query }, signal }),
  report: (from: string, to: string, signal?: AbortSignal) =>
    request<AttainmentReport>('GET', '/sla/report', { query: { from, to }, signal }),
};

export const businessHours = {
  list: (signal?: AbortSignal) => everyPage<Schedule>('/business-hours', signal),
  create: (input: ScheduleInput) => request<Schedule>('POST', '/business-hours', { body: input, idempotent: true }),
  update: (id: string, changes: Partial<ScheduleInput>) => request<Schedule>('PATCH', `/business-hours/${enc(id)}`, { body: changes }),
  remove: (id: string) => request<null>('DELETE', `/business-hours/${enc(id)}`),
  ofTeam: (teamId: string, signal?: AbortSignal) => request<TeamSchedule>('GET', `/teams/${enc(teamId)}/business-hours`, { signal }),
  setForTeam: (teamId: string, scheduleId: string | null) =>
    request<TeamSchedule>('PUT', `/teams/${enc(teamId)}/business-hours`, { body: { schedule_id: scheduleId } }),
};

export const slaPolicies = {
  list: (signal?: AbortSignal) => everyPage<Policy>('/sla-policies', signal),
  create: (input: PolicyInput) => request<Policy>('POST', '/sla-policies', { body: input, idempotent: true }),
  update: (id: string, changes: Partial<PolicyInput>) => request<Policy>('PATCH', `/sla-policies/${enc(id)}`, { body: changes }),
  remove: (id: string) => request<null>('DELETE', `/sla-policies/${enc(id)}`),
  reorder: (policyIds: string[]) => request<Page<Policy>>('PUT', '/sla-policies/order', { body: { policy_ids: policyIds } }),
};
