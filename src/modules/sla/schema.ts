import type { ColumnType, Generated } from 'kysely';
import type { Json, JsonWithDefault, NullableJson, Timestamp } from '../../platform/schema.js';
import type { CaseStatus } from '../cases/schema.js';
import type { BusinessSchedule, Holiday, TimeRange, WeekdayName } from './business-hours.js';

/** Kysely types of the SLA tables (migrations/0090_sla.sql). */

export const SLA_METRICS = ['first_reply', 'next_reply', 'resolution'] as const;
export type SlaMetric = (typeof SLA_METRICS)[number];

export const TIME_BASES = ['business', 'calendar'] as const;
export type TimeBasis = (typeof TIME_BASES)[number];

/** Statuses a policy may pause its clocks in (solved and closed end them instead). */
export const PAUSABLE_STATUSES = ['new', 'open', 'pending', 'on_hold'] as const;
export type PausableStatus = (typeof PAUSABLE_STATUSES)[number];
export const DEFAULT_PAUSE_STATUSES: PausableStatus[] = ['pending', 'on_hold'];

export const SLA_EVENT_TYPES = ['applied', 'started', 'warning', 'breached', 'met', 'paused', 'resumed', 'cancelled'] as const;
export type SlaEventType = (typeof SLA_EVENT_TYPES)[number];

export type ScheduleSource = 'policy' | 'team' | 'default' | 'calendar';

/** Bigint columns parse as numbers (src/db/database.ts); PGlite may hand back a string or bigint. */
type BigIntColumn = ColumnType<number, number | undefined, number>;

export interface SlaSchedulesTable {
  id: Generated<string>;
  workspace_id: string;
  name: string;
  time_zone: string;
  weekly: Json<Record<WeekdayName, TimeRange[]>>;
  holidays: JsonWithDefault<Holiday[]>;
  is_default: Generated<boolean>;
  version: Generated<number>;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface SlaTeamSchedulesTable {
  team_id: string;
  workspace_id: string;
  schedule_id: string;
  updated_at: Generated<Timestamp>;
}

export interface PolicyConditions {
  priority?: string[];
  category?: string[];
  team_ids?: string[];
  channel?: string[];
  customer_tags?: string[];
  /** The customer's tier (customers.tier) is one of these. */
  customer_tiers?: string[];
  /** The case carries any of these tags (regulatory presets: `billing_error`, `complaint`). */
  case_tags?: string[];
}

export type EscalationAction =
  | { type: 'notify'; agent_ids?: string[]; roles?: ('agent' | 'supervisor' | 'admin')[]; assignee?: boolean }
  | { type: 'reassign'; team_id?: string | null; queue_id?: string | null; agent_id?: string | null }
  | { type: 'raise_priority'; to?: 'high' | 'urgent' }
  | { type: 'add_follower'; agent_id: string };

export interface Escalations {
  warning: EscalationAction[];
  breach: EscalationAction[];
}

export interface SlaPoliciesTable {
  id: Generated<string>;
  workspace_id: string;
  name: string;
  description: Generated<string>;
  position: number;
  enabled: Generated<boolean>;
  conditions: JsonWithDefault<PolicyConditions>;
  first_reply_minutes: number | null;
  next_reply_minutes: number | null;
  resolution_minutes: number | null;
  time_basis: TimeBasis;
  schedule_id: string | null;
  pause_statuses: Generated<PausableStatus[]>;
  warning_minutes: Generated<number>;
  escalations: JsonWithDefault<Escalations>;
  /** The regulatory preset this policy was created from (migrations/0091_sla_presets.sql). */
  preset: ColumnType<string | null, string | null | undefined, string | null>;
  /** Business hours of the preset's business-day rules (the policy itself may count calendar time). */
  preset_schedule_id: ColumnType<string | null, string | null | undefined, string | null>;
  version: Generated<number>;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

/** What a case's clocks keep of the policy applied to it. */
export interface AppliedPolicy {
  name: string;
  time_basis: TimeBasis;
  warning_minutes: number;
  pause_statuses: PausableStatus[];
  escalations: Escalations;
  targets: Partial<Record<SlaMetric, number>>;
  /** The regulatory preset key, when the policy came from one. */
  preset?: string;
}

export interface SlaCaseClocksTable {
  case_id: string;
  workspace_id: string;
  policy_id: string | null;
  policy_version: number | null;
  policy: NullableJson<AppliedPolicy>;
  schedule: NullableJson<BusinessSchedule>;
  schedule_source: ScheduleSource | null;
  case_status: CaseStatus;
  first_replied_at: Timestamp | null;
  awaiting_reply_since: Timestamp | null;
  last_event_id: BigIntColumn;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface SlaCaseTargetsTable {
  id: Generated<string>;
  workspace_id: string;
  case_id: string;
  metric: SlaMetric;
  cycle: Generated<number>;
  target_minutes: number;
  started_at: Timestamp;
  running_since: Timestamp | null;
  paused_at: Timestamp | null;
  elapsed_ms: BigIntColumn;
  due_at: Timestamp | null;
  warn_at: Timestamp | null;
  warned_at: Timestamp | null;
  breached_at: Timestamp | null;
  met_at: Timestamp | null;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface SlaEventsTable {
  id: Generated<number>;
  workspace_id: string;
  case_id: string;
  policy_id: string | null;
  metric: SlaMetric | null;
  cycle: number | null;
  type: SlaEventType;
  occurred_at: Timestamp;
  data: JsonWithDefault<Record<string, unknown>>;
  recorded_at: Generated<Timestamp>;
}

export interface SlaTables {
  sla_schedules: SlaSchedulesTable;
  sla_team_schedules: SlaTeamSchedulesTable;
  sla_policies: SlaPoliciesTable;
  sla_case_clocks: SlaCaseClocksTable;
  sla_case_targets: SlaCaseTargetsTable;
  sla_events: SlaEventsTable;
}
