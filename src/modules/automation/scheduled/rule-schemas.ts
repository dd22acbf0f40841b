import { Type, type Static } from 'typebox';
import { Closed, Uuid } from '../../../http/schemas.js';
import { MAX_RULE_ACTIONS, RuleActionSchema, RuleActionsSchema, RuleConditionsSchema } from '../rule-schema.js';

/** TypeBox schemas of scheduled automations: request bodies (closed) and response views. */

const Name = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
const Description = Type.String({ maxLength: 2000 });
const Actions = Type.Array(RuleActionSchema, { minItems: 1, maxItems: MAX_RULE_ACTIONS });

export const CreateScheduledBody = Closed({
  name: Name,
  description: Type.Optional(Description),
  enabled: Type.Optional(Type.Boolean({ description: 'Default true' })),
  conditions: RuleConditionsSchema,
  actions: Actions,
});
export type CreateScheduledInput = Static<typeof CreateScheduledBody>;

export const UpdateScheduledBody = Closed(
  {
    version: Type.Integer({ minimum: 1, description: 'The version you read; a newer one answers 409' }),
    name: Type.Optional(Name),
    description: Type.Optional(Description),
    enabled: Type.Optional(Type.Boolean()),
    conditions: Type.Optional(RuleConditionsSchema),
    actions: Type.Optional(Actions),
    rotate_webhook_secret: Type.Optional(
      Type.Boolean({ description: 'true: a new webhook signing secret replaces the old one (returned once as webhook_secret)' }),
    ),
  },
  { minProperties: 2 },
);
export type UpdateScheduledInput = Static<typeof UpdateScheduledBody>;

export const ReorderScheduledBody = Closed({
  automation_ids: Type.Array(Uuid, {
    maxItems: 500,
    uniqueItems: true,
    description: 'Every scheduled automation of the workspace, first run first',
  }),
});

const Id = Type.String({ format: 'uuid' });
const Time = Type.String({ format: 'date-time' });

export const ScheduledViewSchema = Type.Object({
  id: Id,
  name: Type.String(),
  description: Type.String(),
  enabled: Type.Boolean(),
  position: Type.Integer({ description: 'Rules run in ascending position' }),
  conditions: RuleConditionsSchema,
  actions: RuleActionsSchema,
  version: Type.Integer(),
  last_run_at: Type.Union([Time, Type.Null()]),
  created_at: Time,
  updated_at: Time,
  webhook_secret: Type.Optional(
    Type.String({ description: "The webhook's signing secret, shown once: when a rule first gets a webhook action" }),
  ),
});
export type ScheduledView = Static<typeof ScheduledViewSchema>;

export const RunCountsSchema = Type.Object(
  {
    examined: Type.Integer({ description: 'Candidate cases whose conditions were checked' }),
    matched: Type.Integer({ description: 'Cases whose conditions hold now' }),
    acted: Type.Integer({ description: 'Cases the actions ran on' }),
    already_acted: Type.Integer({ description: 'Matching cases this rule already acted on, unchanged since' }),
    failed: Type.Integer({ description: 'Cases whose actions failed (recorded in the run log)' }),
    more: Type.Boolean({ description: 'The per-run bound was reached; the next run continues' }),
  },
  { description: 'What one run of a rule did' },
);
export type RunCounts = Static<typeof RunCountsSchema>;

export const PreviewCaseSchema = Type.Object({
  id: Id,
  number: Type.Integer(),
  subject: Type.String(),
  status: Type.String(),
  priority: Type.String(),
  updated_at: Time,
  already_acted: Type.Boolean({ description: 'The rule acted on this case and it has not changed since: a run skips it' }),
});
export const PreviewSchema = Type.Object({
  data: Type.Array(PreviewCaseSchema, { description: 'Matching cases (at most 50), in id order' }),
  examined: Type.Integer(),
  truncated: Type.Boolean({ description: 'More cases may match than shown' }),
});
export type PreviewView = Static<typeof PreviewSchema>;
