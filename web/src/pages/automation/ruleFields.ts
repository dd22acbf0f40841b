import type { ConditionField, ConditionOperator, RuleCondition } from '../../api/triggers';
import { CASE_CATEGORIES, CASE_PRIORITIES, CASE_STATUSES, CASE_TYPES, CHANNELS } from '../../api/types';
import { categoryLabel, channelLabel, humanize, priorityLabel, statusLabel, t, type MessageKey } from '../../i18n';

/**
 * What the condition editor offers per field: the operators the server accepts
 * (src/modules/automation/rule-schema.ts FIELD_RULES) and the kind of value input.
 */

export type ValueInput = 'choice' | 'choices' | 'team' | 'teams' | 'agent' | 'agents' | 'tags' | 'text' | 'tier' | 'tiers' | 'hours';

const ACTOR_TYPES = ['agent', 'customer', 'system'] as const;
const CHANGED = ['status', 'priority', 'assignee', 'team', 'tags', 'category'] as const;
const BILLING = [
  'payment_failed',
  'payment_succeeded',
  'refund_recorded',
  'subscription_changed',
  'dispute_opened',
  'dispute_updated',
  'dispute_closed',
] as const;

interface FieldSpec {
  operators: Partial<Record<ConditionOperator, ValueInput>>;
  choices?: readonly string[];
  label?: (value: string) => string;
  /** Only known when an event fires a trigger. */
  eventOnly?: boolean;
}

const choiceOps = (changes: boolean): FieldSpec['operators'] => ({
  is: 'choice',
  is_not: 'choice',
  in: 'choices',
  not_in: 'choices',
  ...(changes ? { changed_to: 'choice' as const, changed_from: 'choice' as const } : {}),
});

export const FIELD_SPECS: Record<ConditionField, FieldSpec> = {
  status: { operators: choiceOps(true), choices: CASE_STATUSES, label: (v) => statusLabel(v as (typeof CASE_STATUSES)[number]) },
  priority: { operators: choiceOps(true), choices: CASE_PRIORITIES, label: (v) => priorityLabel(v as (typeof CASE_PRIORITIES)[number]) },
  category: { operators: choiceOps(true), choices: CASE_CATEGORIES, label: (v) => categoryLabel(v as (typeof CASE_CATEGORIES)[number]) },
  type: { operators: choiceOps(false), choices: CASE_TYPES, label: humanize },
  channel: { operators: choiceOps(false), choices: CHANNELS, label: channelLabel },
  team_id: { operators: { is: 'team', is_not: 'team', in: 'teams', not_in: 'teams', changed_to: 'team', changed_from: 'team' } },
  assignee_id: { operators: { is: 'agent', is_not: 'agent', in: 'agents', not_in: 'agents', changed_to: 'agent', changed_from: 'agent' } },
  tags: { operators: { includes: 'tags', not_includes: 'tags' } },
  customer_tags: { operators: { includes: 'tags', not_includes: 'tags' } },
  customer_tier: { operators: { is: 'tier', is_not: 'tier', in: 'tiers', not_in: 'tiers' } },
  subject: { operators: { contains: 'text' } },
  hours_since_created: { operators: { gt: 'hours', lt: 'hours' } },
  hours_since_updated: { operators: { gt: 'hours', lt: 'hours' } },
  hours_since_status_change: { operators: { gt: 'hours', lt: 'hours' } },
  actor_type: {
    operators: { is: 'choice', is_not: 'choice' },
    choices: ACTOR_TYPES,
    label: (v) => t(`automation.actor.${v}` as MessageKey),
    eventOnly: true,
  },
  changed: {
    operators: { is: 'choice', in: 'choices' },
    choices: CHANGED,
    label: (v) => t(`automation.changed.${v}` as MessageKey),
    eventOnly: true,
  },
  billing_event: {
    operators: { is: 'choice', is_not: 'choice', in: 'choices', not_in: 'choices' },
    choices: BILLING,
    label: (v) => t(`automation.billing.${v}` as MessageKey),
    eventOnly: true,
  },
};

const EVENT_OPERATORS: ConditionOperator[] = ['changed_to', 'changed_from'];

export const fieldLabel = (field: ConditionField) => t(`automation.field.${field}` as MessageKey);
export const operatorLabel = (op: ConditionOperator) => t(`automation.op.${op}` as MessageKey);

/** Operators of a field for this kind of rule (scheduled rules have no event). */
export function operatorsOf(field: ConditionField, forEvents: boolean): ConditionOperator[] {
  return (Object.keys(FIELD_SPECS[field].operators) as ConditionOperator[]).filter((op) => forEvents || !EVENT_OPERATORS.includes(op));
}

export function fieldsFor(forEvents: boolean, fields: readonly ConditionField[]): ConditionField[] {
  return fields.filter((f) => forEvents || !FIELD_SPECS[f].eventOnly);
}

export function inputOf(condition: RuleCondition): ValueInput {
  return FIELD_SPECS[condition.field].operators[condition.operator] ?? 'text';
}

/** A sensible starting value when the field or operator changes. */
export function blankValue(field: ConditionField, operator: ConditionOperator): RuleCondition['value'] {
  const input = FIELD_SPECS[field].operators[operator] ?? 'text';
  switch (input) {
    case 'choice':
      return FIELD_SPECS[field].choices?.[0] ?? '';
    case 'choices':
    case 'teams':
    case 'agents':
    case 'tags':
    case 'tiers':
      return [];
    case 'team':
    case 'agent':
    case 'tier':
      return null;
    case 'hours':
      return 24;
    default:
      return '';
  }
}

export function blankCondition(field: ConditionField, forEvents: boolean): RuleCondition {
  const operator = operatorsOf(field, forEvents)[0]!;
  return { field, operator, value: blankValue(field, operator) };
}

/** "a, b ,c" -> ['a', 'b', 'c'] */
export function splitList(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    ),
  ];
}
