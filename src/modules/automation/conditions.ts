import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { getCasesByIds, getStatusChangedTimes } from '../cases/service.js';
import type { CaseCategory, CasePriority, CaseStatus, CaseType, Channel } from '../cases/schema.js';
import { getCustomerSummaries } from '../customers/service.js';
import type { BillingEventKind, ChangedField, RuleCondition, RuleConditions } from './rule-schema.js';

/** Everything a rule's conditions read about a case, loaded once per evaluation. */
export interface CaseFacts {
  caseId: string;
  number: number;
  subject: string;
  status: CaseStatus;
  priority: CasePriority;
  category: CaseCategory;
  type: CaseType;
  channel: Channel;
  teamId: string | null;
  queueId: string | null;
  assigneeId: string | null;
  tags: string[];
  customerId: string;
  customerTags: string[];
  /** The customer's tier (e.g. gold); null when none is set. */
  customerTier: string | null;
  createdAt: Date;
  updatedAt: Date;
  /** When the status last changed (creation when it never did). */
  statusChangedAt: Date;
  version: number;
}

/** What a trigger knows about the event that fired it. */
export interface TriggerEventFacts {
  /** The trigger event name (case.created, case.updated, ...). */
  type: string;
  actorType: 'agent' | 'customer' | 'system';
  /** The fields this event changed. */
  changed: ChangedField[];
  /** From/to per changed field (status, priority, category: values; team, assignee: ids or null). */
  changes: Partial<Record<ChangedField, { from: unknown; to: unknown }>>;
  /** For `billing.event`: which billing or dispute event (payment_failed, dispute_opened, ...). */
  billingEvent?: BillingEventKind;
}

/** Facts of several cases in a few batched reads through the cases and customers services. */
export async function loadCaseFacts(tx: Db, actor: Actor, caseIds: string[]): Promise<Map<string, CaseFacts>> {
  const cases = await getCasesByIds(tx, actor, caseIds);
  if (cases.length === 0) return new Map();
  const statusTimes = await getStatusChangedTimes(
    tx,
    actor,
    cases.map((c) => c.id),
  );
  const customerIds = [...new Set(cases.map((c) => c.customer.id))];
  const summaries = await getCustomerSummaries(tx, actor, customerIds);
  const extras = new Map<string, { tags: string[]; tier: string | null }>();
  for (const [id, summary] of summaries) {
    extras.set(id, { tags: summary.tags.map((t) => t.toLowerCase()), tier: summary.tier ? summary.tier.toLowerCase() : null });
  }
  const facts = new Map<string, CaseFacts>();
  for (const kase of cases) {
    const customer = extras.get(kase.customer.id) ?? { tags: [], tier: null };
    facts.set(kase.id, {
      caseId: kase.id,
      number: kase.number,
      subject: kase.subject,
      status: kase.status,
      priority: kase.priority,
      category: kase.category,
      type: kase.type,
      channel: kase.channel,
      teamId: kase.team_id,
      queueId: kase.queue_id,
      assigneeId: kase.assignee?.id ?? null,
      tags: kase.tags.map((t) => t.toLowerCase()),
      customerId: kase.customer.id,
      customerTags: customer.tags,
      customerTier: customer.tier,
      createdAt: new Date(kase.created_at),
      updatedAt: new Date(kase.updated_at),
      statusChangedAt: statusTimes.get(kase.id) ?? new Date(kase.created_at),
      version: kase.version,
    });
  }
  return facts;
}

const HOUR_MS = 3_600_000;
const CHANGE_OF: Partial<Record<RuleCondition['field'], ChangedField>> = {
  status: 'status',
  priority: 'priority',
  category: 'category',
  team_id: 'team',
  assignee_id: 'assignee',
};

function scalarOf(facts: CaseFacts, field: RuleCondition['field'], event: TriggerEventFacts | undefined): unknown {
  switch (field) {
    case 'status':
      return facts.status;
    case 'priority':
      return facts.priority;
    case 'category':
      return facts.category;
    case 'type':
      return facts.type;
    case 'channel':
      return facts.channel;
    case 'team_id':
      return facts.teamId;
    case 'assignee_id':
      return facts.assigneeId;
    case 'customer_tier':
      return facts.customerTier;
    case 'actor_type':
      return event?.actorType;
    case 'billing_event':
      return event?.billingEvent ?? null;
    default:
      return undefined;
  }
}

const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v.map(lower) : [lower(v)]);

function hoursSince(facts: CaseFacts, field: RuleCondition['field'], now: Date): number {
  const at = field === 'hours_since_created' ? facts.createdAt : field === 'hours_since_updated' ? facts.updatedAt : facts.statusChangedAt;
  return (now.getTime() - at.getTime()) / HOUR_MS;
}

/** One condition; event-only conditions without an event (a scheduled run) do not hold. */
export function matchesCondition(facts: CaseFacts, condition: RuleCondition, now: Date, event?: TriggerEventFacts): boolean {
  const { field, operator, value } = condition;
  if (field === 'tags' || field === 'customer_tags') {
    const have = new Set(field === 'tags' ? facts.tags : facts.customerTags);
    const any = asList(value).some((tag) => have.has(tag as string));
    return operator === 'includes' ? any : operator === 'not_includes' ? !any : false;
  }
  if (field === 'subject') return operator === 'contains' && facts.subject.toLowerCase().includes(String(value).toLowerCase());
  if (field === 'hours_since_created' || field === 'hours_since_updated' || field === 'hours_since_status_change') {
    if (typeof value !== 'number') return false;
    const hours = hoursSince(facts, field, now);
    return operator === 'gt' ? hours > value : operator === 'lt' ? hours < value : false;
  }
  if (field === 'changed') {
    if (!event) return false;
    const names = asList(value);
    return (operator === 'is' || operator === 'in') && event.changed.some((c) => names.includes(c));
  }
  if (operator === 'changed_to' || operator === 'changed_from') {
    const change = event?.changes[CHANGE_OF[field] as ChangedField];
    if (!change) return false;
    return lower(operator === 'changed_to' ? change.to : change.from) === lower(value);
  }
  if ((field === 'actor_type' || field === 'billing_event') && !event) return false;
  const actual = lower(scalarOf(facts, field, event));
  switch (operator) {
    case 'is':
      return actual === lower(value);
    case 'is_not':
      return actual !== lower(value);
    case 'in':
      return asList(value).includes(actual);
    case 'not_in':
      return !asList(value).includes(actual);
    default:
      return false;
  }
}

/** Every `all` condition holds and, when `any` has entries, at least one of them. Pure. */
export function matchesConditions(facts: CaseFacts, conditions: RuleConditions, now: Date, event?: TriggerEventFacts): boolean {
  if (!conditions.all.every((c) => matchesCondition(facts, c, now, event))) return false;
  return conditions.any.length === 0 || conditions.any.some((c) => matchesCondition(facts, c, now, event));
}
