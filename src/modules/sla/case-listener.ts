import type { Db } from '../../db/database.js';
import { systemActor, type Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import type { DomainEvent, DomainEventListener } from '../../platform/outbox.js';
import { getCase, messageAuthorshipOf, type CaseView, type MessageAuthorship } from '../cases/service.js';
import type { CaseStatus } from '../cases/schema.js';
import { CaseClocks } from './clock-engine.js';
import { insertClock, lockClock, lockClockForEvent, lockClocksForEvents, updateClock, type ClockRow } from './clock-store.js';
import { CUSTOMER_EVENTS, onCustomerUpdated } from './customer-changes.js';
import { applyPolicy, caseFactsOf, choosePolicy } from './policy-apply.js';

/**
 * The SLA clocks follow the case's domain events (inside the outbox relay's transaction):
 * - created: the first matching policy applies; first reply and resolution start;
 * - message added: an agent's public reply meets first reply and a waiting next reply; a
 *   customer's message after the first reply starts a next-reply cycle;
 * - status changed: pause statuses stop the clocks and others restart them; solved meets
 *   resolution (and ends reply targets), closed ends what is left, reopening resumes resolution;
 * - priority, category, team, tags or customer changed: the policy is chosen again;
 * - the customer's tier or tags changed (`customer.updated`): every open case of the customer
 *   chooses its policy again (customer-changes.ts).
 * Each case's clock row is locked while an event applies; an event already applied (the relay
 * delivers at least once) changes nothing. The targets are read only when the event can change
 * them: most messages (a customer's before the first reply, an agent's follow-up) do not.
 */

const FIELD_EVENTS = ['case.priority_changed', 'case.category_changed', 'case.team_changed', 'case.tags_changed', 'case.customer_changed'];
export const SLA_HANDLED_EVENTS = ['case.created', 'case.message_added', 'case.status_changed', ...FIELD_EVENTS, ...CUSTOMER_EVENTS];

const factsOf = caseFactsOf;

async function caseOrNull(tx: Db, actor: Actor, caseId: string): Promise<CaseView | null> {
  try {
    return await getCase(tx, actor, caseId);
  } catch (error) {
    if (error instanceof AppError && error.kind === 'not_found') return null;
    throw error;
  }
}

/** Reply state of a case met for the first time: the first public agent reply and an unanswered customer message after it. */
function replyState(messages: MessageAuthorship[]): { firstRepliedAt: Date | null; awaitingSince: Date | null } {
  let firstRepliedAt: Date | null = null;
  let awaitingSince: Date | null = null;
  for (const message of messages) {
    if (message.visibility !== 'public') continue;
    if (message.author_type === 'agent') {
      firstRepliedAt ??= new Date(message.created_at);
      awaitingSince = null;
    } else if (message.author_type === 'customer' && firstRepliedAt && !awaitingSince) {
      awaitingSince = new Date(message.created_at);
    }
  }
  return { firstRepliedAt, awaitingSince };
}

/**
 * The clock row of a case seen for the first time, with `lastEventId` applied. From its `created`
 * event: the status it was created with, replied when an agent's public message opened it.
 * Otherwise (a case older than its first SLA event, e.g. demo history): read from the case and its
 * messages. Null for a closed case; 'exists' when another transaction created the clock meanwhile.
 */
async function createClock(
  tx: Db,
  actor: Actor,
  kase: CaseView,
  seen: { created: boolean; status: CaseStatus },
  lastEventId: number,
): Promise<ClockRow | 'exists' | null> {
  if (seen.status === 'closed') return null;
  // Oldest first; enough to know whether and when agents replied on a case seen late.
  const messages = await messageAuthorshipOf(tx, actor, kase.id, seen.created ? 1 : 100);
  const state = replyState(messages);
  const inserted = await insertClock(tx, {
    case_id: kase.id,
    workspace_id: actor.workspaceId,
    case_status: seen.status,
    first_replied_at: state.firstRepliedAt,
    awaiting_reply_since: state.awaitingSince,
    last_event_id: lastEventId,
  });
  return inserted ?? 'exists';
}

/** The status a case had when this event happened (its clock is created before the event applies). */
function statusBefore(event: DomainEvent, kase: CaseView): CaseStatus {
  if (event.type === 'case.created' && typeof event.payload.status === 'string') return event.payload.status as CaseStatus;
  if (event.type === 'case.status_changed' && typeof event.payload.from === 'string') return event.payload.from as CaseStatus;
  return kase.status;
}

/**
 * Starts the clocks of a case no event has started (a case from before its workspace had SLA
 * policies, demo history): its current state and messages, the policy matching now, at `at`.
 * Returns the clocks, or null when the case already has a clock, is closed or is not visible.
 */
export async function startClocksOfCase(tx: Db, actor: Actor, caseId: string, at: Date): Promise<CaseClocks | null> {
  if (await lockClock(tx, actor.workspaceId, caseId)) return null;
  const kase = await caseOrNull(tx, actor, caseId);
  if (!kase) return null;
  const clock = await createClock(tx, actor, kase, { created: false, status: kase.status }, 0);
  if (!clock || clock === 'exists') return null;
  const clocks = CaseClocks.ofNewClock(tx, clock);
  await applyPolicy(tx, clocks, await choosePolicy(tx, actor, factsOf(kase)), factsOf(kase), at, 'started');
  return clocks;
}

/**
 * What a message does to the clocks, from the clock row alone: an agent's public reply meets a
 * first reply or a waiting next reply; a customer's public message after the first reply starts
 * a next-reply cycle unless one is waiting already. Anything else changes nothing.
 */
function messageEffect(clock: ClockRow, payload: Record<string, unknown>): 'agent_replied' | 'customer_waits' | null {
  if (payload.visibility !== 'public') return null;
  if (payload.author_type === 'agent') return !clock.first_replied_at || clock.awaiting_reply_since ? 'agent_replied' : null;
  if (payload.author_type === 'customer') return clock.first_replied_at && !clock.awaiting_reply_since ? 'customer_waits' : null;
  return null;
}

async function onMessage(tx: Db, clocks: CaseClocks, effect: 'agent_replied' | 'customer_waits', at: Date): Promise<void> {
  const clock = clocks.clock;
  if (effect === 'agent_replied') {
    if (!clock.first_replied_at) await clocks.meet('first_reply', at);
    if (clock.awaiting_reply_since) await clocks.meet('next_reply', at);
    clocks.clock = await updateClock(tx, clock.case_id, { first_replied_at: clock.first_replied_at ?? at, awaiting_reply_since: null });
    return;
  }
  clocks.clock = await updateClock(tx, clock.case_id, { awaiting_reply_since: at });
  await clocks.start('next_reply', at, at, clocks.isPausedStatus(clock.case_status));
}

async function onStatus(tx: Db, clocks: CaseClocks, from: CaseStatus, to: CaseStatus, at: Date): Promise<void> {
  clocks.clock = await updateClock(tx, clocks.clock.case_id, {
    case_status: to,
    ...(to === 'solved' || to === 'closed' ? { awaiting_reply_since: null } : {}),
  });
  if (to === 'solved') {
    await clocks.meet('resolution', at);
    for (const metric of ['first_reply', 'next_reply'] as const) await clocks.cancel(metric, at, 'solved');
    return;
  }
  if (to === 'closed') {
    for (const target of clocks.all()) if (!target.met_at) await clocks.cancel(target.metric, at, 'closed');
    return;
  }
  const paused = clocks.isPausedStatus(to);
  if (from === 'solved') await clocks.reopen('resolution', at, paused);
  if (paused) await clocks.pauseAll(at);
  else await clocks.resumeAll(at);
}

/** An event on a case whose clock exists (locked, the event marked applied). */
async function applyToClock(tx: Db, actor: Actor, event: DomainEvent, clock: ClockRow): Promise<void> {
  const at = event.occurredAt;
  if (event.type === 'case.message_added') {
    const effect = messageEffect(clock, event.payload);
    if (effect) await onMessage(tx, await CaseClocks.load(tx, clock), effect, at);
  } else if (event.type === 'case.status_changed') {
    const { from, to } = event.payload as { from?: CaseStatus; to?: CaseStatus };
    if (from && to) await onStatus(tx, await CaseClocks.load(tx, clock), from, to, at);
  } else if (FIELD_EVENTS.includes(event.type)) {
    const kase = await caseOrNull(tx, actor, event.aggregateId);
    if (kase)
      await applyPolicy(
        tx,
        await CaseClocks.load(tx, clock),
        await choosePolicy(tx, actor, factsOf(kase)),
        factsOf(kase),
        at,
        event.type.slice(5),
      );
  }
}

type LockedForEvent = { clock: ClockRow; previousEventId: number };

/** Clocks locked ahead for a relay batch's events (prepareBatch), by transaction, then event id. */
const lockedAhead = new WeakMap<Db, Map<number, LockedForEvent>>();

/**
 * Locks and marks in one statement the clocks of a batch's messages whose case has no other
 * SLA event in the batch (most of a busy chat's events): one statement per batch instead of one
 * per message. A case with several events in the batch keeps the event-by-event path, in order.
 */
async function prepareBatch(tx: Db, events: DomainEvent[]): Promise<void> {
  lockedAhead.delete(tx);
  const perCase = new Map<string, number>();
  for (const event of events) perCase.set(event.aggregateId, (perCase.get(event.aggregateId) ?? 0) + 1);
  const alone = events.filter((event) => event.type === 'case.message_added' && perCase.get(event.aggregateId) === 1);
  if (alone.length < 2) return;
  const locked = await lockClocksForEvents(
    tx,
    alone.map((event) => ({ workspaceId: event.workspaceId, caseId: event.aggregateId, eventId: event.id })),
  );
  lockedAhead.set(tx, locked);
}

function takeLockedAhead(tx: Db, eventId: number): LockedForEvent | undefined {
  const ahead = lockedAhead.get(tx);
  const locked = ahead?.get(eventId);
  if (locked) ahead!.delete(eventId);
  return locked;
}

export async function handleCaseEvent(tx: Db, event: DomainEvent): Promise<void> {
  if (CUSTOMER_EVENTS.includes(event.type)) return onCustomerUpdated(tx, event);
  const actor = systemActor(event.workspaceId, 'sla clocks');
  const locked = takeLockedAhead(tx, event.id) ?? (await lockClockForEvent(tx, event.workspaceId, event.aggregateId, event.id));
  if (locked) {
    if (locked.previousEventId >= event.id) return;
    return applyToClock(tx, actor, event, locked.clock);
  }
  const kase = await caseOrNull(tx, actor, event.aggregateId);
  if (!kase) return;
  const clock = await createClock(tx, actor, kase, { created: event.type === 'case.created', status: statusBefore(event, kase) }, event.id);
  if (!clock) return;
  // Created by a concurrent transaction since the lock found none: the event applies to that clock.
  if (clock === 'exists') return handleCaseEvent(tx, event);
  const clocks = CaseClocks.ofNewClock(tx, clock);
  await applyPolicy(tx, clocks, await choosePolicy(tx, actor, factsOf(kase)), factsOf(kase), event.occurredAt, 'created');
  // A case seen first through a message already counts it in its reply state, and through a
  // field change has just chosen its policy; a status change still moves the clocks.
  if (event.type === 'case.status_changed') {
    const { from, to } = event.payload as { from?: CaseStatus; to?: CaseStatus };
    if (from && to) await onStatus(tx, clocks, from, to, event.occurredAt);
  }
}

export function slaCaseListener(): DomainEventListener {
  return {
    name: 'sla.case_clocks',
    handles: SLA_HANDLED_EVENTS,
    prepare: (events, tx) => prepareBatch(tx, events),
    handle: (event, tx) => handleCaseEvent(tx, event),
  };
}
