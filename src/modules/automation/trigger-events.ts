import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import type { DomainEvent } from '../../platform/outbox.js';
import { listCases, OPEN_STATUSES } from '../cases/listing.js';
import type { TriggerEventFacts } from './conditions.js';
import type { BillingEventKind, ChangedField } from './rule-schema.js';
import type { TriggerEvent } from './schema.js';

/**
 * Which trigger event a domain event is, and on which case: case.* events of the cases module,
 * the SLA module's warning and breach history entries, billing and dispute events (on the
 * dispute's case, or the customer's most recently updated open case).
 */

export interface MappedEvent {
  type: TriggerEvent;
  caseId: string;
  facts: TriggerEventFacts;
  /** A customer message of the transaction that created the case is part of `case.created`. */
  customerMessage?: boolean;
}

const FIELD_CHANGES: Record<string, ChangedField | null> = {
  'case.status_changed': 'status',
  'case.priority_changed': 'priority',
  'case.category_changed': 'category',
  'case.team_changed': 'team',
  'case.assigned': 'assignee',
  'case.tags_changed': 'tags',
  'case.type_changed': null,
  'case.subject_changed': null,
  'case.due_changed': null,
  'case.queue_changed': null,
};

const BILLING_EVENTS: Record<string, BillingEventKind> = {
  'billing.payment_failed': 'payment_failed',
  'billing.payment_succeeded': 'payment_succeeded',
  'billing.refund_recorded': 'refund_recorded',
  'billing.subscription_changed': 'subscription_changed',
  'dispute.opened': 'dispute_opened',
  'dispute.updated': 'dispute_updated',
  'dispute.closed': 'dispute_closed',
};

export const TRIGGER_HANDLED_EVENTS = [
  'case.created',
  'case.message_added',
  'case.sla_warning',
  'case.sla_breached',
  ...Object.keys(FIELD_CHANGES),
  ...Object.keys(BILLING_EVENTS),
];

const actorTypeOf = (event: DomainEvent): TriggerEventFacts['actorType'] =>
  event.actorType === 'agent' || event.actorType === 'customer' ? event.actorType : 'system';

function base(event: DomainEvent): TriggerEventFacts {
  return { type: '', actorType: actorTypeOf(event), changed: [], changes: {} };
}

async function caseOfCustomer(tx: Db, actor: Actor, customerId: string): Promise<string | null> {
  const page = await listCases(tx, actor, { filters: { customer_id: customerId, status: OPEN_STATUSES }, sort: 'updated_desc', limit: 1 });
  return page.data[0]?.id ?? null;
}

/** The trigger event a domain event may be (before reading anything); null when none. */
export function triggerTypeOf(event: DomainEvent): TriggerEvent | null {
  if (event.type === 'case.created') return 'case.created';
  if (event.type === 'case.sla_warning') return 'sla.warning';
  if (event.type === 'case.sla_breached') return 'sla.breach';
  if (event.type === 'case.message_added') {
    if (event.payload.visibility !== 'public') return null;
    if (event.payload.author_type === 'customer') return 'case.customer_replied';
    if (event.payload.author_type === 'agent') return 'case.agent_replied';
    return null;
  }
  if (event.type in FIELD_CHANGES) return 'case.updated';
  return event.type in BILLING_EVENTS ? 'billing.event' : null;
}

export async function mapTriggerEvent(tx: Db, actor: Actor, event: DomainEvent): Promise<MappedEvent | null> {
  const payload = event.payload;
  const facts = base(event);
  const on = (type: TriggerEvent, caseId: string, extra: Partial<MappedEvent> = {}): MappedEvent => ({
    type,
    caseId,
    facts: { ...facts, type },
    ...extra,
  });
  if (event.type === 'case.created') return on('case.created', event.aggregateId);
  if (event.type === 'case.sla_warning') return on('sla.warning', event.aggregateId);
  if (event.type === 'case.sla_breached') return on('sla.breach', event.aggregateId);
  if (event.type === 'case.message_added') {
    if (payload.visibility !== 'public') return null;
    if (payload.author_type === 'customer') return on('case.customer_replied', event.aggregateId, { customerMessage: true });
    if (payload.author_type === 'agent') return on('case.agent_replied', event.aggregateId);
    return null;
  }
  if (event.type in FIELD_CHANGES) {
    const field = FIELD_CHANGES[event.type];
    if (field) {
      facts.changed = [field];
      facts.changes = { [field]: { from: payload.from ?? null, to: payload.to ?? null } };
    }
    return on('case.updated', event.aggregateId);
  }
  const kind = BILLING_EVENTS[event.type];
  if (kind) {
    facts.billingEvent = kind;
    const caseId =
      typeof payload.case_id === 'string'
        ? payload.case_id
        : typeof payload.customer_id === 'string'
          ? await caseOfCustomer(tx, actor, payload.customer_id)
          : null;
    return caseId ? on('billing.event', caseId) : null;
  }
  return null;
}
