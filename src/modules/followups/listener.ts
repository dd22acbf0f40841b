import type { Db } from '../../db/database.js';
import { systemActor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import type { DomainEvent, DomainEventListener } from '../../platform/outbox.js';
import { casesMessagesMayEnd, followupsAMessageMayEnd } from './plan-store.js';
import { endPendingCycle, endSolveCycle, startPendingCycle, startSolveCycle } from './case-plans.js';
import { endSnoozeOnCustomerMessage, endSnoozeOnStatusChange } from './snooze.js';

/**
 * Follows case events (inside the outbox relay's transaction): status changes start and end the
 * pending and solve cycles and end a snooze left by hand; a customer message ends a snooze and
 * the pending cycle. Times come from the event, so a relay running late plans the same instants.
 */

async function onStatusChanged(event: DomainEvent, tx: Db): Promise<void> {
  const actor = systemActor(event.workspaceId, 'followups');
  const { from, to } = event.payload;
  const caseId = event.aggregateId;
  if (from === 'on_hold' && to !== 'on_hold') await endSnoozeOnStatusChange(tx, actor, caseId);
  if (from === 'pending' && to !== 'pending') await endPendingCycle(tx, actor, caseId);
  if (from === 'solved' && (to === 'open' || to === 'pending' || to === 'on_hold')) await endSolveCycle(tx, actor, caseId);
  if (to === 'pending') await startPendingCycle(tx, actor, caseId, event.occurredAt);
  if (to === 'solved') await startSolveCycle(tx, actor, caseId, event.occurredAt);
}

/**
 * Per relay batch: the customers' messages known to end nothing (most), from one statement for
 * the batch. A case whose status changes in the same batch may gain a plan on the way: its
 * messages ask for themselves, in order.
 */
const endNothing = new WeakMap<Db, Set<number>>();

async function prepareBatch(tx: Db, events: DomainEvent[]): Promise<void> {
  endNothing.delete(tx);
  const statusChanges = new Set(events.filter((e) => e.type === 'case.status_changed').map((e) => e.aggregateId));
  const messages = events.filter(
    (e) => e.type === 'case.message_added' && e.payload.author_type === 'customer' && !statusChanges.has(e.aggregateId),
  );
  if (messages.length < 2) return;
  const mayEnd = await casesMessagesMayEnd(
    tx,
    messages.map((e) => ({ workspaceId: e.workspaceId, caseId: e.aggregateId, messageAt: e.occurredAt })),
  );
  endNothing.set(tx, new Set(messages.filter((e) => !mayEnd.has(e.aggregateId)).map((e) => e.id)));
}

async function onMessageAdded(event: DomainEvent, tx: Db): Promise<void> {
  if (event.payload.author_type !== 'customer') return;
  if (endNothing.get(tx)?.has(event.id)) return;
  const actor = systemActor(event.workspaceId, 'followups');
  const open = await followupsAMessageMayEnd(tx, actor, event.aggregateId, event.occurredAt);
  if (open.snoozed) await endSnoozeOnCustomerMessage(tx, actor, event.aggregateId, event.occurredAt);
  if (open.pendingPlanned) await endPendingCycle(tx, actor, event.aggregateId);
}

export function followupCaseListener(): DomainEventListener {
  return {
    name: 'followups.case',
    handles: ['case.status_changed', 'case.message_added'],
    prepare: (events, tx) => prepareBatch(tx, events),
    async handle(event, tx) {
      try {
        if (event.type === 'case.status_changed') await onStatusChanged(event, tx);
        else await onMessageAdded(event, tx);
      } catch (error) {
        // A case deleted since the event: nothing to follow up.
        if (error instanceof AppError && error.kind === 'not_found') return;
        throw error;
      }
    },
  };
}
