import { Type, type Static } from 'typebox';
import { Closed, Uuid } from '../../http/schemas.js';
import { validationError } from '../../platform/errors.js';
import { CASE_CATEGORIES, CASE_PRIORITIES, CASE_STATUSES, CASE_TYPES, CHANNELS } from '../cases/schema.js';

/**
 * Conditions and actions shared by triggers (event-based) and scheduled automations (time-based).
 * The JSON schema keeps the shape closed; `checkRuleConditions` / `checkRuleActions` say what a
 * schema cannot (which operators and values a field takes) with `details.fields` pointing at the
 * bad entry, e.g. `conditions.all[1].value`.
 */

export const CONDITION_FIELDS = [
  'status',
  'priority',
  'category',
  'type',
  'channel',
  'team_id',
  'assignee_id',
  'tags',
  'customer_tags',
  'customer_tier',
  'subject',
  'hours_since_created',
  'hours_since_updated',
  'hours_since_status_change',
  'actor_type',
  'changed',
  'billing_event',
] as const;
export type ConditionField = (typeof CONDITION_FIELDS)[number];

export const CONDITION_OPERATORS = [
  'is',
  'is_not',
  'in',
  'not_in',
  'includes',
  'not_includes',
  'contains',
  'gt',
  'lt',
  'changed_to',
  'changed_from',
] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

export const ACTOR_TYPES = ['agent', 'customer', 'system'] as const;
/** What `changed` may name: the fields a case.* event reports as changed. */
export const CHANGED_FIELDS = ['status', 'priority', 'assignee', 'team', 'tags', 'category'] as const;
export type ChangedField = (typeof CHANGED_FIELDS)[number];
/** Which billing or dispute event fired a `billing.event` trigger. */
export const BILLING_EVENT_KINDS = [
  'payment_failed',
  'payment_succeeded',
  'refund_recorded',
  'subscription_changed',
  'dispute_opened',
  'dispute_updated',
  'dispute_closed',
] as const;
export type BillingEventKind = (typeof BILLING_EVENT_KINDS)[number];
/** Fields only a trigger's event can answer; scheduled rules refuse them. */
export const EVENT_ONLY_FIELDS: readonly ConditionField[] = ['actor_type', 'changed', 'billing_event'];
export const EVENT_OPERATORS: readonly ConditionOperator[] = ['changed_to', 'changed_from'];

const ConditionValue = Type.Union(
  [
    Type.String({ maxLength: 200 }),
    Type.Integer({ minimum: 0, maximum: 100_000 }),
    Type.Null(),
    Type.Array(Type.String({ maxLength: 200 }), { maxItems: 50 }),
  ],
  { description: 'A string, integer, null (unassigned / no tier) or a list, depending on field and operator' },
);

export const RuleConditionSchema = Closed({
  field: Type.Enum([...CONDITION_FIELDS]),
  operator: Type.Enum([...CONDITION_OPERATORS]),
  value: ConditionValue,
});
export type RuleCondition = Static<typeof RuleConditionSchema>;

export const RuleConditionsSchema = Closed(
  {
    all: Type.Array(RuleConditionSchema, { maxItems: 30, description: 'Every one must hold' }),
    any: Type.Array(RuleConditionSchema, { maxItems: 30, description: 'When not empty, at least one must hold' }),
  },
  { description: 'Conditions on the case (and, for triggers, on the event)' },
);
export type RuleConditions = Static<typeof RuleConditionsSchema>;

const Tag = Type.String({ minLength: 1, maxLength: 50 });
const Tags = Type.Array(Tag, { minItems: 1, maxItems: 20, uniqueItems: true });
const AGENT_ROLES = ['agent', 'supervisor', 'admin'] as const;
export const MAX_RULE_ACTIONS = 20;

export const RuleActionSchema = Type.Union([
  Closed({ type: Type.Literal('set_status'), status: Type.Enum([...CASE_STATUSES]) }),
  Closed({ type: Type.Literal('set_priority'), priority: Type.Enum([...CASE_PRIORITIES]) }),
  Closed({ type: Type.Literal('set_category'), category: Type.Enum([...CASE_CATEGORIES]) }),
  Closed({ type: Type.Literal('assign_team'), team_id: Uuid, queue_id: Type.Optional(Type.Union([Uuid, Type.Null()])) }),
  Closed({ type: Type.Literal('assign_agent'), agent_id: Type.Union([Uuid, Type.Null()], { description: 'null unassigns' }) }),
  Closed({ type: Type.Literal('add_tags'), tags: Tags }),
  Closed({ type: Type.Literal('remove_tags'), tags: Tags }),
  Closed(
    {
      type: Type.Literal('send_message'),
      visibility: Type.Enum(['public', 'internal']),
      body: Type.String({ minLength: 1, maxLength: 20_000, description: 'Template: {{customer.name}}, {{case.number}}, ...' }),
    },
    { description: 'A public reply (mailed to an email customer, shown in chat) or an internal note' },
  ),
  Closed(
    {
      type: Type.Literal('notify'),
      agent_ids: Type.Optional(Type.Array(Uuid, { maxItems: 50, uniqueItems: true })),
      roles: Type.Optional(Type.Array(Type.Enum([...AGENT_ROLES]), { maxItems: 3, uniqueItems: true })),
      assignee: Type.Optional(Type.Boolean()),
      subject: Type.String({ minLength: 1, maxLength: 300 }),
      body: Type.String({ minLength: 1, maxLength: 20_000 }),
    },
    { description: 'Email agents (by id, by role, the assignee); subject and body are templates' },
  ),
  Closed(
    {
      type: Type.Literal('webhook'),
      url: Type.String({ minLength: 1, maxLength: 2000, description: 'http(s) URL receiving a signed JSON POST' }),
      secret_set: Type.Optional(Type.Boolean({ description: 'Read-only: a signing secret exists for this rule' })),
    },
    {
      description:
        'POST {event, rule, case} signed with the rule secret (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature)',
    },
  ),
]);
export type RuleAction = Static<typeof RuleActionSchema>;
export type RuleActionType = RuleAction['type'];
export const RuleActionsSchema = Type.Array(RuleActionSchema, { maxItems: MAX_RULE_ACTIONS });

/** Operators (and the values they take) each field accepts. */
type ValueKind = 'enum' | 'enums' | 'uuid_or_null' | 'uuids' | 'tags' | 'text' | 'text_or_null' | 'texts' | 'hours';
interface FieldRule {
  operators: Partial<Record<ConditionOperator, ValueKind>>;
  values?: readonly string[];
}
const enumRule = (values: readonly string[], withChanges: boolean): FieldRule => ({
  values,
  operators: {
    is: 'enum',
    is_not: 'enum',
    in: 'enums',
    not_in: 'enums',
    ...(withChanges ? { changed_to: 'enum' as const, changed_from: 'enum' as const } : {}),
  },
});
const idRule: FieldRule = {
  operators: {
    is: 'uuid_or_null',
    is_not: 'uuid_or_null',
    in: 'uuids',
    not_in: 'uuids',
    changed_to: 'uuid_or_null',
    changed_from: 'uuid_or_null',
  },
};
const hoursRule: FieldRule = { operators: { gt: 'hours', lt: 'hours' } };

export const FIELD_RULES: Record<ConditionField, FieldRule> = {
  status: enumRule(CASE_STATUSES, true),
  priority: enumRule(CASE_PRIORITIES, true),
  category: enumRule(CASE_CATEGORIES, true),
  type: enumRule(CASE_TYPES, false),
  channel: enumRule(CHANNELS, false),
  team_id: idRule,
  assignee_id: idRule,
  tags: { operators: { includes: 'tags', not_includes: 'tags' } },
  customer_tags: { operators: { includes: 'tags', not_includes: 'tags' } },
  customer_tier: { operators: { is: 'text_or_null', is_not: 'text_or_null', in: 'texts', not_in: 'texts' } },
  subject: { operators: { contains: 'text' } },
  hours_since_created: hoursRule,
  hours_since_updated: hoursRule,
  hours_since_status_change: hoursRule,
  actor_type: enumRule(ACTOR_TYPES, false),
  changed: { values: CHANGED_FIELDS, operators: { is: 'enum', in: 'enums' } },
  billing_event: enumRule(BILLING_EVENT_KINDS, false),
};

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isText = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;

function valueProblem(kind: ValueKind, value: unknown, allowed: readonly string[] | undefined): string | null {
  const oneOf = (v: unknown) => typeof v === 'string' && (allowed ?? []).includes(v);
  const list = (check: (v: unknown) => boolean) => Array.isArray(value) && value.length > 0 && value.every(check);
  switch (kind) {
    case 'enum':
      return oneOf(value) ? null : `Expected one of: ${(allowed ?? []).join(', ')}`;
    case 'enums':
      return list(oneOf) ? null : `Expected a non-empty list of: ${(allowed ?? []).join(', ')}`;
    case 'uuid_or_null':
      return value === null || (typeof value === 'string' && UUID_RE.test(value)) ? null : 'Expected an id or null';
    case 'uuids':
      return list((v) => typeof v === 'string' && UUID_RE.test(v)) ? null : 'Expected a non-empty list of ids';
    case 'tags':
      return isText(value) || list(isText) ? null : 'Expected a tag or a non-empty list of tags';
    case 'text':
      return isText(value) ? null : 'Expected non-empty text';
    case 'text_or_null':
      return value === null || isText(value) ? null : 'Expected text or null';
    case 'texts':
      return list(isText) ? null : 'Expected a non-empty list of texts';
    case 'hours':
      return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? null : 'Expected a whole number of hours (0 or more)';
  }
}

export interface FieldProblem {
  field: string;
  problem: string;
}

/** Problems of a condition list; `forEvents` false (scheduled rules) refuses event-only fields and operators. */
export function ruleConditionProblems(conditions: RuleConditions, options: { forEvents: boolean; path?: string }): FieldProblem[] {
  const base = options.path ?? 'conditions';
  const problems: FieldProblem[] = [];
  for (const group of ['all', 'any'] as const) {
    conditions[group].forEach((condition, index) => {
      const at = `${base}.${group}[${index}]`;
      const rule = FIELD_RULES[condition.field];
      if (!options.forEvents && EVENT_ONLY_FIELDS.includes(condition.field)) {
        problems.push({ field: `${at}.field`, problem: `“${condition.field}” is only known when an event fires a trigger` });
        return;
      }
      const kind = rule.operators[condition.operator];
      if (!kind || (!options.forEvents && EVENT_OPERATORS.includes(condition.operator))) {
        const accepted = Object.keys(rule.operators).filter(
          (op) => options.forEvents || !EVENT_OPERATORS.includes(op as ConditionOperator),
        );
        problems.push({ field: `${at}.operator`, problem: `“${condition.field}” accepts the operators: ${accepted.join(', ')}` });
        return;
      }
      const problem = valueProblem(kind, condition.value, rule.values);
      if (problem) problems.push({ field: `${at}.value`, problem });
    });
  }
  return problems;
}

/** Normalizes tags and ids (lower case, trimmed) and refuses bad operator/value combinations (400). */
export function checkRuleConditions(conditions: RuleConditions, options: { forEvents: boolean; path?: string }): RuleConditions {
  const problems = ruleConditionProblems(conditions, options);
  if (problems.length > 0) {
    throw validationError('automation.invalid_conditions', problems[0]!.problem, { fields: problems });
  }
  const clean = (c: RuleCondition): RuleCondition => {
    const norm = (v: string) => (c.field === 'subject' ? v.trim() : v.trim().toLowerCase());
    const value = typeof c.value === 'string' ? norm(c.value) : Array.isArray(c.value) ? [...new Set(c.value.map(norm))] : c.value;
    return { field: c.field, operator: c.operator, value };
  };
  return { all: conditions.all.map(clean), any: conditions.any.map(clean) };
}

/** Problems a schema cannot express: a notify with no recipient, a webhook URL that is not http(s). */
export function ruleActionProblems(actions: RuleAction[], path = 'actions'): FieldProblem[] {
  const problems: FieldProblem[] = [];
  actions.forEach((action, index) => {
    const at = `${path}[${index}]`;
    if (action.type === 'notify' && !action.assignee && !(action.agent_ids?.length ?? 0) && !(action.roles?.length ?? 0)) {
      problems.push({ field: at, problem: 'A notify action needs agent_ids, roles or assignee: true' });
    }
    if (action.type === 'webhook') {
      const url = URL.canParse(action.url) ? new URL(action.url) : null;
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) {
        problems.push({ field: `${at}.url`, problem: 'Expected an http:// or https:// URL without credentials' });
      }
    }
    if (action.type === 'send_message' && action.body.trim() === '')
      problems.push({ field: `${at}.body`, problem: 'The message is empty' });
  });
  if (actions.filter((a) => a.type === 'webhook').length > 1) {
    problems.push({ field: path, problem: 'A rule calls at most one webhook' });
  }
  return problems;
}

/** Normalized actions (tags lower-cased, ids lower-cased, read-only flags dropped); 400 on problems. */
export function checkRuleActions(actions: RuleAction[], path = 'actions'): RuleAction[] {
  const problems = ruleActionProblems(actions, path);
  if (problems.length > 0) throw validationError('automation.invalid_actions', problems[0]!.problem, { fields: problems });
  return actions.map((action): RuleAction => {
    switch (action.type) {
      case 'add_tags':
      case 'remove_tags':
        return { type: action.type, tags: [...new Set(action.tags.map((t) => t.trim().toLowerCase()))] };
      case 'assign_team':
        return {
          type: 'assign_team',
          team_id: action.team_id.toLowerCase(),
          ...(action.queue_id ? { queue_id: action.queue_id.toLowerCase() } : {}),
        };
      case 'assign_agent':
        return { type: 'assign_agent', agent_id: action.agent_id?.toLowerCase() ?? null };
      case 'webhook':
        return { type: 'webhook', url: action.url.trim() };
      case 'notify':
        return {
          type: 'notify',
          ...(action.agent_ids?.length ? { agent_ids: action.agent_ids.map((id) => id.toLowerCase()) } : {}),
          ...(action.roles?.length ? { roles: action.roles } : {}),
          ...(action.assignee ? { assignee: true } : {}),
          subject: action.subject,
          body: action.body,
        };
      default:
        return action;
    }
  });
}
