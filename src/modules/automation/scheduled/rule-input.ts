import { validationError } from '../../../platform/errors.js';
import { CASE_STATUSES, type CaseStatus } from '../../cases/schema.js';
import type { AutomationCandidateFilter } from '../../cases/service.js';
import { checkRuleActions, checkRuleConditions, type RuleAction, type RuleCondition, type RuleConditions } from '../rule-schema.js';

/**
 * What a scheduled rule must satisfy beyond its JSON schema, and the SQL half of its conditions.
 * A scheduled rule needs a time condition (hours since created / updated / status change) among
 * its "all" conditions: without one it would act on every case at every run.
 */

export const TIME_FIELDS = ['hours_since_created', 'hours_since_updated', 'hours_since_status_change'] as const;
const isTimeCondition = (c: RuleCondition) => (TIME_FIELDS as readonly string[]).includes(c.field);
const HOUR_MS = 3_600_000;

/** Closed cases can no longer change, so no rule ever acts on them. */
const OPEN_TO_RULES: CaseStatus[] = CASE_STATUSES.filter((s) => s !== 'closed');

/** Validated, normalized conditions of a scheduled rule (400 with details.fields otherwise). */
export function scheduledConditionsOf(input: RuleConditions): RuleConditions {
  const conditions = checkRuleConditions(input, { forEvents: false });
  if (!conditions.all.some(isTimeCondition)) {
    const problem =
      'A scheduled automation needs at least one time condition among "all" (hours since created, updated or status change); without one it would act on every case at every run';
    throw validationError('automation.time_condition_required', problem, { fields: [{ field: 'conditions.all', problem }] });
  }
  if (statusesOf(conditions).length === 0) {
    const problem = 'These status conditions leave no status a scheduled automation acts on (closed cases are never changed)';
    throw validationError('automation.no_status_left', problem, { fields: [{ field: 'conditions.all', problem }] });
  }
  return conditions;
}

export function scheduledActionsOf(input: RuleAction[]): RuleAction[] {
  return checkRuleActions(input);
}

/** The statuses the "all" status conditions allow, closed excluded. */
export function statusesOf(conditions: RuleConditions): CaseStatus[] {
  let allowed = new Set<CaseStatus>(OPEN_TO_RULES);
  for (const c of conditions.all) {
    if (c.field !== 'status') continue;
    const values = new Set((Array.isArray(c.value) ? c.value : [c.value]).map((v) => String(v)));
    if (c.operator === 'is' || c.operator === 'in') allowed = new Set([...allowed].filter((s) => values.has(s)));
    if (c.operator === 'is_not' || c.operator === 'not_in') allowed = new Set([...allowed].filter((s) => !values.has(s)));
  }
  return OPEN_TO_RULES.filter((s) => allowed.has(s));
}

const earlier = (a: Date | undefined, b: Date) => (a === undefined || b < a ? b : a);
const later = (a: Date | undefined, b: Date) => (a === undefined || b > a ? b : a);

/**
 * The part of a rule's "all" conditions SQL can check exactly (statuses and the time bounds), as
 * a candidate filter; the full conditions are still checked on every candidate.
 */
export function candidateFilterOf(conditions: RuleConditions, now: Date): Omit<AutomationCandidateFilter, 'limit' | 'afterId'> {
  const filter: Omit<AutomationCandidateFilter, 'limit' | 'afterId'> = { statuses: statusesOf(conditions) };
  for (const c of conditions.all) {
    if (!isTimeCondition(c) || typeof c.value !== 'number') continue;
    const at = new Date(now.getTime() - c.value * HOUR_MS);
    // "More than N hours since X" means X happened before now - N hours; "less than" after it.
    const key = c.field === 'hours_since_created' ? 'created' : c.field === 'hours_since_updated' ? 'updated' : 'statusChanged';
    if (c.operator === 'gt') filter[`${key}Before`] = earlier(filter[`${key}Before`], at);
    if (c.operator === 'lt') filter[`${key}After`] = later(filter[`${key}After`], at);
  }
  return filter;
}
