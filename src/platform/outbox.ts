import { sql } from 'kysely';
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

/**
 * Writes a domain event in the caller's transaction (the transactional outbox). It becomes
 * visible to listeners only if the change commits, and is relayed even if this process dies.
 */
export async function recordDomainEvent(
  tx: Db,
  actor: Actor,
  event: { type: string; aggregateType: string; aggregateId: string; payload?: JsonObject },
): Promise<void> {
  const ref = actorRef(actor);
  // One statement writes the event, its place in the realtime lane's queue and the wake-up of the
  // relays in every process (NOTIFY is delivered only at commit, dropped on rollback, and
  // PostgreSQL sends one per transaction however many events call it). A SELECT CTE runs only
  // when referenced, hence the cross join with `wake`.
  await sql`
    with event as (
      insert into domain_events (workspace_id, type, aggregate_type, aggregate_id, payload, actor_type, actor_id)
      values (${actor.workspaceId}, ${event.type}, ${event.aggregateType}, ${event.aggregateId},
        ${JSON.stringify(event.payload ?? {})}, ${ref.actor_type}, ${ref.actor_id})
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
