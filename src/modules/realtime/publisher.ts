import type { DomainEvent, DomainEventListener } from '../../platform/outbox.js';
import type { JsonObject } from '../../platform/schema.js';
import type { Db } from '../../db/database.js';
import { appendRealtimeEvents, type NewRealtimeEvent } from './event-store.js';
import { publishRealtimeWake } from './redis-bus.js';

/**
 * Turns committed domain events that agents (and chat visitors) should see live into realtime
 * events: every case change (`case.*`: created, message_added, assigned, status_changed, field
 * changes, merges), chat signals (`chat.*`: queue position, read receipts, state) and agent
 * presence. Runs inside the outbox relay's transaction, so a realtime event exists exactly when
 * its domain event was published.
 */

const LIVE_PREFIXES = ['case.', 'chat.'];
const LIVE_TYPES = new Set(['agent.presence_changed']);
/** Events carry a small summary; clients refetch details over the API. */
const MAX_DATA_BYTES = 2000;

export function isLiveEventType(type: string): boolean {
  return LIVE_TYPES.has(type) || LIVE_PREFIXES.some((prefix) => type.startsWith(prefix));
}

function summaryOf(payload: JsonObject): JsonObject {
  return JSON.stringify(payload).length <= MAX_DATA_BYTES ? payload : {};
}

function realtimeEventOf(event: DomainEvent): NewRealtimeEvent {
  return {
    workspaceId: event.workspaceId,
    type: event.type,
    caseId: event.aggregateType === 'case' ? event.aggregateId : null,
    data: { ...summaryOf(event.payload), actor_type: event.actorType, actor_id: event.actorId },
    domainEventId: event.id,
  };
}

/**
 * `redisUrl` set: no NOTIFY in the relay's transaction; after it commits, one Redis PUBLISH wakes
 * every process (redis-bus.ts).
 */
export function realtimePublisher(options: { redisUrl?: string | undefined } = {}): DomainEventListener {
  const { redisUrl } = options;
  let wakeUpTo = 0;
  const append = async (tx: Db, events: DomainEvent[]) => {
    const ids = await appendRealtimeEvents(tx, events.filter((e) => isLiveEventType(e.type)).map(realtimeEventOf), {
      notify: redisUrl === undefined,
    });
    if (ids.length > 0) wakeUpTo = Math.max(wakeUpTo, ...ids);
  };
  return {
    name: 'realtime.publish',
    handles: '*',
    handle: (event, tx) => append(tx, [event]),
    // A batch of the relay in one insert: per-event round trips capped live delivery far below
    // what the rest of the pipeline carries.
    handleBatch: (events, tx) => append(tx, events),
    async afterCommit() {
      if (!redisUrl || wakeUpTo === 0) return;
      const upTo = wakeUpTo;
      wakeUpTo = 0;
      await publishRealtimeWake(redisUrl, upTo);
    },
  };
}
