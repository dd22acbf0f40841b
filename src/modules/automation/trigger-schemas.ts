import { Type, type Static } from 'typebox';
import { Closed, Uuid } from '../../http/schemas.js';
import { RuleActionsSchema, RuleConditionsSchema } from './rule-schema.js';
import { TRIGGER_EVENTS } from './schema.js';

/** TypeBox schemas of triggers: request bodies (closed) and the response view. */

const Name = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
const Description = Type.String({ maxLength: 2000 });
const Events = Type.Array(Type.Enum([...TRIGGER_EVENTS]), {
  minItems: 1,
  maxItems: TRIGGER_EVENTS.length,
  uniqueItems: true,
  description: 'The events that fire the trigger',
});

export const CreateTriggerBody = Closed({
  name: Name,
  description: Type.Optional(Description),
  enabled: Type.Optional(Type.Boolean()),
  events: Events,
  conditions: Type.Optional(RuleConditionsSchema),
  actions: RuleActionsSchema,
});
export type CreateTriggerInput = Static<typeof CreateTriggerBody>;

export const UpdateTriggerBody = Closed({
  version: Type.Integer({ minimum: 1, description: 'The version read; a newer one refuses the change (409)' }),
  name: Type.Optional(Name),
  description: Type.Optional(Description),
  enabled: Type.Optional(Type.Boolean()),
  events: Type.Optional(Events),
  conditions: Type.Optional(RuleConditionsSchema),
  actions: Type.Optional(RuleActionsSchema),
  rotate_webhook_secret: Type.Optional(Type.Boolean({ description: 'A new webhook signing secret, shown once in the answer' })),
});
export type UpdateTriggerInput = Static<typeof UpdateTriggerBody>;

export const ReorderTriggersBody = Closed({
  trigger_ids: Type.Array(Uuid, { maxItems: 500, uniqueItems: true, description: 'Every trigger of the workspace once, first run first' }),
});

export const TriggerViewSchema = Type.Object({
  id: Uuid,
  name: Type.String(),
  description: Type.String(),
  enabled: Type.Boolean(),
  position: Type.Integer(),
  events: Type.Array(Type.Enum([...TRIGGER_EVENTS])),
  conditions: RuleConditionsSchema,
  actions: RuleActionsSchema,
  webhook_secret: Type.Optional(
    Type.String({ description: 'The webhook signing secret: only in the answer that created or rotated it, never again' }),
  ),
  version: Type.Integer(),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});
export type TriggerView = Static<typeof TriggerViewSchema>;

export const AutomationRunViewSchema = Type.Object({
  id: Type.String({ description: 'Run log entry id' }),
  rule_kind: Type.Enum(['trigger', 'automation']),
  rule_id: Uuid,
  rule_name: Type.String(),
  case_id: Uuid,
  event_id: Type.Union([Type.Integer(), Type.Null()]),
  event_type: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.Enum(['applied', 'skipped']),
  skip_reason: Type.Union([Type.String(), Type.Null()]),
  action_results: Type.Array(
    Type.Object({
      type: Type.String(),
      ok: Type.Boolean(),
      detail: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
      error: Type.Optional(Type.String()),
    }),
  ),
  depth: Type.Integer(),
  created_at: Type.String({ format: 'date-time' }),
});
export type AutomationRunView = Static<typeof AutomationRunViewSchema>;

export const WebhookDeliveryViewSchema = Type.Object({
  id: Type.String({ description: 'Log entry id' }),
  delivery_id: Uuid,
  case_id: Type.Union([Uuid, Type.Null()]),
  url: Type.String(),
  attempt: Type.Integer(),
  outcome: Type.Enum(['delivered', 'failed', 'given_up'], { description: 'failed: retried later; given_up: no more attempts' }),
  status_code: Type.Union([Type.Integer(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  duration_ms: Type.Integer(),
  created_at: Type.String({ format: 'date-time' }),
});
