import { Type, type Static } from 'typebox';
import { CaseViewSchema } from '../cases/service.js';
import { SLA_METRICS } from './schema.js';

/** Response shapes of the SLA reads: a case's running targets, the breaching/breached lists, attainment. */

const Id = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
const NullableDate = Type.Union([DateTime, Type.Null()]);
const Metric = Type.Enum([...SLA_METRICS]);

export const TARGET_STATES = ['running', 'paused', 'met', 'breached'] as const;
export type TargetState = (typeof TARGET_STATES)[number];

export const TargetViewSchema = Type.Object({
  metric: Metric,
  cycle: Type.Integer({ description: 'Next reply starts a new cycle per customer message; a reopened case a new resolution cycle' }),
  state: Type.Enum([...TARGET_STATES], {
    description: 'met (fulfilled, see breached for lateness), breached (overdue, not fulfilled), paused, or running',
  }),
  target_minutes: Type.Integer(),
  started_at: DateTime,
  due_at: Type.Union([DateTime, Type.Null()], { description: 'When the target breaches (breached: when it did); null while paused' }),
  time_left_seconds: Type.Union([Type.Integer(), Type.Null()], {
    description: 'Policy time (business or calendar) left before the breach, negative when overdue; null when met',
  }),
  elapsed_seconds: Type.Integer({ description: 'Policy time counted so far (at met: the time it took)' }),
  breached: Type.Boolean(),
  paused_at: NullableDate,
  warned_at: NullableDate,
  breached_at: NullableDate,
  met_at: NullableDate,
});
export type TargetView = Static<typeof TargetViewSchema>;

export const CaseSlaViewSchema = Type.Object({
  case_id: Id,
  policy: Type.Union(
    [
      Type.Object({
        id: Type.Union([Id, Type.Null()]),
        name: Type.String(),
        preset: Type.Union([Type.String(), Type.Null()], {
          description: 'Regulatory preset key of the policy (GET /cases/:caseId/sla/preset for its letters), else null',
        }),
      }),
      Type.Null(),
    ],
    {
      description: 'The policy applied (id null when it was deleted since); null when none matches',
    },
  ),
  time_basis: Type.Union([Type.Enum(['business', 'calendar']), Type.Null()]),
  schedule: Type.Union([
    Type.Object({
      source: Type.Enum(['policy', 'team', 'default', 'calendar']),
      time_zone: Type.String(),
    }),
    Type.Null(),
  ]),
  targets: Type.Array(TargetViewSchema),
});
export type CaseSlaView = Static<typeof CaseSlaViewSchema>;

export const SlaCaseItemSchema = Type.Object({
  case: CaseViewSchema,
  worst_target: Type.Object({
    metric: Metric,
    cycle: Type.Integer(),
    target_minutes: Type.Integer(),
    due_at: DateTime,
    seconds_until_due: Type.Integer({ description: 'Wall-clock seconds until due_at; negative when past' }),
    breached_at: NullableDate,
    paused: Type.Boolean(),
  }),
});
export type SlaCaseItem = Static<typeof SlaCaseItemSchema>;

export const MetricAttainmentSchema = Type.Object({
  metric: Metric,
  met_on_time: Type.Integer(),
  met_late: Type.Integer(),
  breached: Type.Integer({ description: 'Targets breached in the period (met late or not met)' }),
  attainment_percent: Type.Union([Type.Number(), Type.Null()], {
    description: 'met_on_time / (met_on_time + breached) x 100; null without outcomes',
  }),
  average_seconds_to_meet: Type.Union([Type.Integer(), Type.Null()]),
  median_seconds_to_meet: Type.Union([Type.Integer(), Type.Null()]),
});

export const AttainmentReportSchema = Type.Object({
  from: DateTime,
  to: DateTime,
  metrics: Type.Array(MetricAttainmentSchema),
});
export type AttainmentReport = Static<typeof AttainmentReportSchema>;
