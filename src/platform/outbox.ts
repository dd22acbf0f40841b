import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database.js';
import { actorRef, type Actor } from './actor.js';
import type { JsonObject } from './schema.js';

export interface DomainEvent {
  id: number;
  workspaceId: string;
  type: string;
  aggregateType: string;
  aggregateId: string;
  payload: JsonObject;
  actorType: string;
  actorId: string | null;
  occurredAt: Date;
}

export const OUTBOX_CHANNEL = 'baton_outbox';

export interface NewDomainEvent {
  type: string;
  aggregateType: string;
  aggregateId: string;
  payload?: JsonObject;
  /** Who caused this event when events of several actors are written together; else the call's actor. */
  actor?: Actor;
}

/**
 * Writes a domain event in the caller's transaction (the transactional outbox). It becomes
 * visible to listeners only if the change commits, and is relayed even if this process dies.
 */
export async function recordDomainEvent(tx: Db, actor: Actor, event: NewDomainEvent): Promise<void> {
  await recordDomainEvents(tx, actor, [event]);
}

/**
 * Writes several domain events, in the given order (their ids, hence the order listeners see),
 * in one statement. `alongside` is a data-modifying statement of the caller's (an INSERT without
 * RETURNING, such as the case history rows the events describe) run in the same round trip: each
 * statement costs a socket write and a wake-up of PostgreSQL, the most expensive part of a write
 * path made of small statements.
 */
export async function recordDomainEvents(tx: Db, actor: Actor, events: NewDomainEvent[], alongside?: RawBuilder<unknown>): Promise<void> {
  if (events.length === 0) {
    if (alongside) await alongside.execute(tx);
    return;
  }
  const rows = sql.join(
    events.map((event) => {
      const by = event.actor ?? actor;
      const ref = actorRef(by);
      return sql`(${by.workspaceId}, ${event.type}, ${event.aggregateType}, ${event.aggregateId},
        ${JSON.stringify(event.payload ?? {})}::jsonb, ${ref.actor_type}, ${ref.actor_id}::uuid)`;
    }),
  );
  // One statement writes the events, their places in the realtime lane's queue and the wake-up of
  // the relays in every process (NOTIFY is delivered only at commit, dropped on rollback, and
  // PostgreSQL sends one per transaction however many events call it). A SELECT CTE runs only
  // when referenced, hence the cross join with `wake`; a data-modifying one always runs, once.
  await sql`
    with ${alongside ? sql`alongside as (${alongside}), ` : sql``}event as (
      insert into domain_events (workspace_id, type, aggregate_type, aggregate_id, payload, actor_type, actor_id)
      values ${rows}
      returning id
    ), wake as (select pg_notify(${OUTBOX_CHANNEL}, ''))
    insert into outbox_realtime_pending (event_id) select event.id from event cross join wake`.execute(tx);
}

export type DomainEventListener = {
  name: string;
  /** Event types this listener handles; '*' for all. */
  handles: string[] | '*';
  /**
   * Runs inside the relay's transaction (`tx`): write only through it, keep it short (enqueue a
   * job for slow work such as sending mail). A throw undoes this listener's writes only.
   */
  handle(event: DomainEvent, tx: Db): Promise<void>;
  /**
   * Optional: takes a whole batch (the events this listener handles, in id order) in one call
   * instead of `handle` per event: one multi-row write where per-event round trips would cost
   * more than the work (the realtime publisher). A throw undoes the batch's writes of this listener.
   */
  handleBatch?: (events: DomainEvent[], tx: Db) => Promise<void>;
  /**
   * Optional: runs once per relay batch before `handle` is called for each of its events (the
   * events this listener handles, in id order), in the same transaction: one statement that
   * answers for many events what `handle` would ask one event at a time. `handle` must still be
   * right for an event the preparation left out (it then asks itself), since a failed preparation
   * is logged and skipped like a failed event.
   */
  prepare?: (events: DomainEvent[], tx: Db) => Promise<void>;
  /** Optional: runs after each relay batch committed (to tell others outside the database). */
  afterCommit?: () => Promise<void>;
};

/**
 * Marks a workspace's pending events as published without handing them to listeners. For data
 * that is history, not live activity (the demo workspace): its replies and assignments happened
 * "days ago" and must never send mail or notifications now.
 */
export async function settleEventsAsHistory(db: Db, workspaceId: string): Promise<number> {
  const result = await db
    .updateTable('domain_events')
    .set({ published_at: new Date() })
    .where('workspace_id', '=', workspaceId)
    .where('published_at', 'is', null)
    .executeTakeFirst();
  await db
    .deleteFrom('outbox_realtime_pending')
    .where('event_id', 'in', (eb) => eb.selectFrom('domain_events').select('id').where('workspace_id', '=', workspaceId))
    .execute();
  return Number(result.numUpdatedRows);
}
