import { Type, type Static } from 'typebox';
import { Closed, Uuid } from '../../http/schemas.js';
import { CASE_CATEGORIES, CASE_PRIORITIES, CHANNELS } from '../cases/schema.js';
import { PAUSABLE_STATUSES, TIME_BASES } from './schema.js';

/** TypeBox schemas of SLA policies: request bodies (closed) and the response view. */

/** A year: longer targets are not service levels, and business time must stay computable. */
export const MAX_TARGET_MINUTES = 525_600;
export const MAX_WARNING_MINUTES = 10_080;
export const MAX_ACTIONS = 10;

const Minutes = Type.Integer({ minimum: 1, maximum: MAX_TARGET_MINUTES });
const listOf = <T extends readonly string[]>(values: T, description: string) =>
  Type.Array(Type.Enum([...values]), { minItems: 1, maxItems: values.length, uniqueItems: true, description });
const AGENT_ROLES = ['agent', 'supervisor', 'admin'] as const;

export const ConditionsSchema = Closed(
  {
    priority: Type.Optional(listOf(CASE_PRIORITIES, 'Any of these priorities')),
    category: Type.Optional(listOf(CASE_CATEGORIES, 'Any of these categories')),
    team_ids: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 50, uniqueItems: true, description: 'Cases of any of these teams' })),
    channel: Type.Optional(listOf(CHANNELS, 'Any of these channels')),
    customer_tags: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 50 }), {
        minItems: 1,
        maxItems: 20,
        uniqueItems: true,
        description: 'The customer carries any of these tags (e.g. vip)',
      }),
    ),
    customer_tiers: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z0-9][a-z0-9_-]{0,39}$' }), {
        minItems: 1,
        maxItems: 20,
        uniqueItems: true,
        description: "The customer's tier is any of these (lower-case slugs, e.g. gold)",
      }),
    ),
    case_tags: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 50, pattern: '\\S' }), {
        minItems: 1,
        maxItems: 20,
        uniqueItems: true,
        description: 'The case carries any of these tags (e.g. billing_error, complaint)',
      }),
    ),
  },
  { description: 'Every condition given must hold; each is "any of". No conditions: every case' },
);

export const TargetsSchema = Closed(
  {
    first_reply_minutes: Type.Optional(Type.Union([Minutes, Type.Null()])),
    next_reply_minutes: Type.Optional(Type.Union([Minutes, Type.Null()])),
    resolution_minutes: Type.Optional(Type.Union([Minutes, Type.Null()])),
  },
  { description: 'Targets in minutes of the policy time (business or calendar); at least one' },
);

export const NotifyActionSchema = Closed(
  {
    type: Type.Literal('notify'),
    agent_ids: Type.Optional(Type.Array(Uuid, { maxItems: 50, uniqueItems: true })),
    roles: Type.Optional(
      Type.Array(Type.Enum([...AGENT_ROLES]), { maxItems: 3, uniqueItems: true, description: 'Every active agent of these roles' }),
    ),
    assignee: Type.Optional(Type.Boolean({ description: "The case's assignee" })),
  },
  { description: 'Email the named agents, roles and/or the assignee' },
);
export const ReassignActionSchema = Closed(
  {
    type: Type.Literal('reassign'),
    team_id: Type.Optional(Uuid),
    queue_id: Type.Optional(Uuid),
    agent_id: Type.Optional(Uuid),
  },
  { description: 'To a team (and queue) without assignee, or to an agent; give team_id and/or agent_id' },
);
export const RaisePriorityActionSchema = Closed(
  { type: Type.Literal('raise_priority'), to: Type.Optional(Type.Enum(['high', 'urgent'])) },
  { description: 'One step up (low -> normal -> high -> urgent), or up to `to`; never lowers' },
);
export const AddFollowerActionSchema = Closed({ type: Type.Literal('add_follower'), agent_id: Uuid });

export const ActionSchema = Type.Union([NotifyActionSchema, ReassignActionSchema, RaisePriorityActionSchema, AddFollowerActionSchema]);
const Actions = Type.Array(ActionSchema, { maxItems: MAX_ACTIONS });

export const EscalationsSchema = Closed(
  { warning: Type.Optional(Actions), breach: Type.Optional(Actions) },
  { description: 'Actions carried out when a target reaches its warning threshold and when it is breached' },
);

const Name = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
const Description = Type.String({ maxLength: 2000 });
const PauseStatuses = Type.Array(Type.Enum([...PAUSABLE_STATUSES]), {
  maxItems: PAUSABLE_STATUSES.length,
  uniqueItems: true,
  description: 'Clocks stop while the case has one of these statuses (default pending, on_hold)',
});
const WarningMinutes = Type.Integer({
  minimum: 0,
  maximum: MAX_WARNING_MINUTES,
  description: 'Warn this many minutes (policy time) before a breach; 0: no warning. Default 60',
});
const ScheduleId = Type.Union([Uuid, Type.Null()], {
  description: "Business hours to count in; null: the case team's, else the workspace default",
});

export const CreatePolicyBody = Closed({
  name: Name,
  description: Type.Optional(Description),
  enabled: Type.Optional(Type.Boolean()),
  conditions: Type.Optional(ConditionsSchema),
  targets: TargetsSchema,
  time_basis: Type.Enum([...TIME_BASES]),
  schedule_id: Type.Optional(ScheduleId),
  pause_statuses: Type.Optional(PauseStatuses),
  warning_minutes: Type.Optional(WarningMinutes),
  escalations: Type.Optional(EscalationsSchema),
});
export type CreatePolicyInput = Static<typeof CreatePolicyBody>;

export const UpdatePolicyBody = Closed(
  {
    name: Type.Optional(Name),
    description: Type.Optional(Description),
    enabled: Type.Optional(Type.Boolean()),
    conditions: Type.Optional(ConditionsSchema),
    targets: Type.Optional(TargetsSchema),
    time_basis: Type.Optional(Type.Enum([...TIME_BASES])),
    schedule_id: Type.Optional(ScheduleId),
    pause_statuses: Type.Optional(PauseStatuses),
    warning_minutes: Type.Optional(WarningMinutes),
    escalations: Type.Optional(EscalationsSchema),
  },
  { minProperties: 1 },
);
export type UpdatePolicyInput = Static<typeof UpdatePolicyBody>;

export const ReorderBody = Closed({
  policy_ids: Type.Array(Uuid, { maxItems: 500, uniqueItems: true, description: 'Every policy of the workspace, first tried first' }),
});

const Id = Type.String({ format: 'uuid' });
const NullableMinutes = Type.Union([Type.Integer(), Type.Null()]);

export const PolicyViewSchema = Type.Object({
  id: Id,
  name: Type.String(),
  description: Type.String(),
  position: Type.Integer({ description: 'Policies are tried in ascending position; the first match applies' }),
  enabled: Type.Boolean(),
  conditions: Type.Object({
    priority: Type.Optional(Type.Array(Type.String())),
    category: Type.Optional(Type.Array(Type.String())),
    team_ids: Type.Optional(Type.Array(Id)),
    channel: Type.Optional(Type.Array(Type.String())),
    customer_tags: Type.Optional(Type.Array(Type.String())),
    customer_tiers: Type.Optional(Type.Array(Type.String())),
    case_tags: Type.Optional(Type.Array(Type.String())),
  }),
  targets: Type.Object({ first_reply_minutes: NullableMinutes, next_reply_minutes: NullableMinutes, resolution_minutes: NullableMinutes }),
  time_basis: Type.Enum([...TIME_BASES]),
  schedule_id: Type.Union([Id, Type.Null()]),
  pause_statuses: Type.Array(Type.String()),
  warning_minutes: Type.Integer(),
  escalations: Type.Object({
    warning: Type.Array(Type.Record(Type.String(), Type.Unknown())),
    breach: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  }),
  preset: Type.Union([Type.String(), Type.Null()], {
    description: 'The regulatory preset this policy was created from (GET /sla-presets), else null',
  }),
  version: Type.Integer(),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});
export type PolicyView = Static<typeof PolicyViewSchema>;
