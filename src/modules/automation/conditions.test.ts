import { describe, expect, it } from 'vitest';
import { matchesConditions, type CaseFacts, type TriggerEventFacts } from './conditions.js';
import { checkRuleConditions, ruleConditionProblems, type RuleCondition } from './rule-schema.js';

const now = new Date('2026-12-07T12:00:00Z');
const facts: CaseFacts = {
  caseId: '00000000-0000-4000-8000-000000000001',
  number: 42,
  subject: 'Charged twice for March',
  status: 'pending',
  priority: 'high',
  category: 'billing',
  type: 'question',
  channel: 'email',
  teamId: '00000000-0000-4000-8000-0000000000aa',
  queueId: null,
  assigneeId: null,
  tags: ['refund', 'vip-case'],
  customerId: '00000000-0000-4000-8000-000000000002',
  customerTags: ['vip'],
  customerTier: 'gold',
  createdAt: new Date('2026-12-05T12:00:00Z'),
  updatedAt: new Date('2026-12-07T10:00:00Z'),
  statusChangedAt: new Date('2026-12-06T12:00:00Z'),
  version: 3,
};
const event: TriggerEventFacts = {
  type: 'case.updated',
  actorType: 'agent',
  changed: ['status'],
  changes: { status: { from: 'open', to: 'pending' } },
};

const all = (...conditions: RuleCondition[]) => ({ all: conditions, any: [] });
const holds = (condition: RuleCondition, withEvent: TriggerEventFacts | 'none' = event) =>
  matchesConditions(facts, all(condition), now, withEvent === 'none' ? undefined : withEvent);

describe('matchesConditions', () => {
  it('compares case fields with is / is_not / in / not_in', () => {
    expect(holds({ field: 'status', operator: 'is', value: 'pending' })).toBe(true);
    expect(holds({ field: 'status', operator: 'is_not', value: 'pending' })).toBe(false);
    expect(holds({ field: 'priority', operator: 'in', value: ['high', 'urgent'] })).toBe(true);
    expect(holds({ field: 'category', operator: 'not_in', value: ['billing'] })).toBe(false);
    expect(holds({ field: 'assignee_id', operator: 'is', value: null })).toBe(true);
    expect(holds({ field: 'team_id', operator: 'is', value: facts.teamId })).toBe(true);
    expect(holds({ field: 'customer_tier', operator: 'is', value: 'gold' })).toBe(true);
  });

  it('reads tags, customer tags and the subject', () => {
    expect(holds({ field: 'tags', operator: 'includes', value: ['x', 'refund'] })).toBe(true);
    expect(holds({ field: 'tags', operator: 'not_includes', value: 'refund' })).toBe(false);
    expect(holds({ field: 'customer_tags', operator: 'includes', value: 'vip' })).toBe(true);
    expect(holds({ field: 'subject', operator: 'contains', value: 'charged TWICE' })).toBe(true);
  });

  it('measures hours since creation, update and status change', () => {
    expect(holds({ field: 'hours_since_created', operator: 'gt', value: 47 })).toBe(true);
    expect(holds({ field: 'hours_since_created', operator: 'gt', value: 48 })).toBe(false);
    expect(holds({ field: 'hours_since_updated', operator: 'lt', value: 3 })).toBe(true);
    expect(holds({ field: 'hours_since_status_change', operator: 'gt', value: 23 })).toBe(true);
  });

  it('reads the event: actor, changed field, changed_to / changed_from; without an event those never hold', () => {
    expect(holds({ field: 'actor_type', operator: 'is', value: 'agent' })).toBe(true);
    expect(holds({ field: 'changed', operator: 'is', value: 'status' })).toBe(true);
    expect(holds({ field: 'changed', operator: 'in', value: ['tags', 'priority'] })).toBe(false);
    expect(holds({ field: 'status', operator: 'changed_to', value: 'pending' })).toBe(true);
    expect(holds({ field: 'status', operator: 'changed_from', value: 'open' })).toBe(true);
    expect(holds({ field: 'priority', operator: 'changed_to', value: 'high' })).toBe(false);
    expect(holds({ field: 'changed', operator: 'is', value: 'status' }, 'none')).toBe(false);
    expect(holds({ field: 'actor_type', operator: 'is_not', value: 'agent' }, 'none')).toBe(false);
  });

  it('needs every `all` condition and, when `any` is given, one of those', () => {
    const yes = { field: 'status', operator: 'is', value: 'pending' } as const;
    const no = { field: 'status', operator: 'is', value: 'open' } as const;
    expect(matchesConditions(facts, { all: [yes], any: [] }, now)).toBe(true);
    expect(matchesConditions(facts, { all: [yes, no], any: [] }, now)).toBe(false);
    expect(matchesConditions(facts, { all: [yes], any: [no] }, now)).toBe(false);
    expect(matchesConditions(facts, { all: [], any: [no, yes] }, now)).toBe(true);
    expect(matchesConditions(facts, { all: [], any: [] }, now)).toBe(true);
  });
});

describe('condition validation', () => {
  it('points at the bad entry', () => {
    expect(
      ruleConditionProblems(all({ field: 'status', operator: 'is', value: 'open' }, { field: 'status', operator: 'is', value: 'bogus' }), {
        forEvents: true,
      }),
    ).toEqual([{ field: 'conditions.all[1].value', problem: expect.stringContaining('Expected one of') }]);
    expect(ruleConditionProblems(all({ field: 'tags', operator: 'is', value: 'x' }), { forEvents: true })[0]!.field).toBe(
      'conditions.all[0].operator',
    );
  });

  it('refuses event-only fields and operators for scheduled rules', () => {
    expect(ruleConditionProblems(all({ field: 'actor_type', operator: 'is', value: 'agent' }), { forEvents: false })[0]!.field).toBe(
      'conditions.all[0].field',
    );
    expect(ruleConditionProblems(all({ field: 'status', operator: 'changed_to', value: 'open' }), { forEvents: false })[0]!.field).toBe(
      'conditions.all[0].operator',
    );
    expect(() => checkRuleConditions(all({ field: 'hours_since_created', operator: 'gt', value: -1 }), { forEvents: false })).toThrow();
  });

  it('normalizes tags to lower case', () => {
    expect(
      checkRuleConditions(all({ field: 'tags', operator: 'includes', value: [' VIP ', 'vip'] }), { forEvents: true }).all[0]!.value,
    ).toEqual(['vip']);
  });
});
