import type { Db } from '../../db/database.js';
import { systemActor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import type { DomainEvent } from '../../platform/outbox.js';
import { listCases } from '../cases/listing.js';
import { getCase } from '../cases/service.js';
import { CaseClocks } from './clock-engine.js';
import { lockClock } from './clock-store.js';
import { applyPolicy, caseFactsOf, choosePolicy } from './policy-apply.js';

/**
 * A customer's tier or tags are conditions of SLA policies (`customer_tiers`, `customer_tags`),
 * but they change on the customer, not on a case: no case event follows. The customers module
 * writes `customer.updated` with the changed field names; on a tier or tag change every open
 * case of the customer chooses its policy again, exactly as a case's own field change does.
 *
 * The case clocks' `last_event_id` is left alone: it orders the events of one case, and a
 * customer event's id says nothing about them. Re-applying is idempotent anyway (the same
 * policy version and schedule change nothing), so a redelivered event is harmless.
 */

export const CUSTOMER_EVENTS = ['customer.updated'];
const POLICY_FIELDS = new Set(['tier', 'tags']);
const OPEN_STATUSES = ['new', 'open', 'pending', 'on_hold'] as const;
const PAGE = 100;

export async function onCustomerUpdated(tx: Db, event: DomainEvent): Promise<void> {
  const fields = Array.isArray(event.payload.fields) ? (event.payload.fields as unknown[]) : [];
  if (!fields.some((f) => typeof f === 'string' && POLICY_FIELDS.has(f))) return;
  const actor = systemActor(event.workspaceId, 'sla clocks');
  const caseIds: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await listCases(tx, actor, {
      filters: { customer_id: event.aggregateId, status: [...OPEN_STATUSES] },
      sort: 'created_asc',
      limit: PAGE,
      cursor,
    });
    caseIds.push(...page.data.map((c) => c.id));
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  for (const caseId of caseIds) {
    // Only cases whose clocks exist: a case no event has started yet gets its policy when one does.
    const clock = await lockClock(tx, event.workspaceId, caseId);
    if (!clock) continue;
    let kase;
    try {
      kase = await getCase(tx, actor, caseId);
    } catch (error) {
      if (error instanceof AppError && error.kind === 'not_found') continue;
      throw error;
    }
    const clocks = await CaseClocks.load(tx, clock);
    const facts = caseFactsOf(kase);
    await applyPolicy(tx, clocks, await choosePolicy(tx, actor, facts), facts, event.occurredAt, 'customer_updated');
  }
}
