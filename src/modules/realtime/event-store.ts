import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { JsonObject } from '../../platform/schema.js';

/** SQL of realtime_events, the resumable log (migrations/0100_realtime.sql). */

export interface RealtimeEvent {
  id: number;
  workspaceId: string;
  type: string;
  caseId: string | null;
  data: JsonObject;
  at: Date;
}

/** NOTIFY channel: a new event is committed (payload: id, workspace, type, case). */
export const EVENTS_CHANNEL = 'baton_realtime';
/** NOTIFY channel of live-only signals (typing, viewing): never stored. */
export const LIVE_CHANNEL = 'baton_realtime_live';
/** Serializes writers so that ids are handed out in commit order (see the migration). */
const WRITER_LOCK = 7305400;

interface EventRow {
  id: number;
  workspace_id: string;
  type: string;
  case_id: string | null;
  data: JsonObject;
  created_at: Date;
}

const toEvent = (row: EventRow): RealtimeEvent => ({
  id: Number(row.id),
  workspaceId: row.workspace_id,
  type: row.type,
  caseId: row.case_id,
  data: row.data,
  at: row.created_at,
});

export interface NewRealtimeEvent {
  workspaceId: string;
  type: string;
  caseId: string | null;
  data: JsonObject;
  domainEventId: number | null;
}

/**
 * Appends events (in the given order) in the caller's transaction with one statement and notifies
 * every process at commit (NOTIFY; `notify: false` when the caller wakes them through Redis). Takes the writer lock first (held to commit), so a later id never
 * commits before an earlier one. Domain events already published (a relay's batch taken over) are
 * skipped. Returns the new ids.
 */
export async function appendRealtimeEvents(tx: Db, events: NewRealtimeEvent[], options: { notify?: boolean } = {}): Promise<number[]> {
  if (events.length === 0) return [];
  await sql`select pg_advisory_xact_lock(${WRITER_LOCK})`.execute(tx);
  const rows = await tx
    .insertInto('realtime_events')
    .values(
      events.map((event) => ({
        workspace_id: event.workspaceId,
        type: event.type,
        case_id: event.caseId,
        domain_event_id: event.domainEventId,
        data: JSON.stringify(event.data),
      })),
    )
    .onConflict((oc) => oc.column('domain_event_id').doNothing())
    .returning('id')
    .execute();
  if (rows.length === 0) return [];
  // The bus reads every event after its cursor on any notification: one per batch is enough.
  // Without NOTIFY (the Redis bus) the caller wakes the processes after its commit.
  const last = Math.max(...rows.map((r) => Number(r.id)));
  if (options.notify !== false)
    await sql`select pg_notify(${EVENTS_CHANNEL}, ${JSON.stringify({ id: last, count: rows.length })})`.execute(tx);
  return rows.map((r) => Number(r.id));
}

/** Events after `afterId` (and up to `uptoId`), oldest first; optionally of one workspace. */
export async function readEventsAfter(
  db: Db,
  options: { afterId: number; uptoId?: number | undefined; workspaceId?: string | undefined; limit: number },
): Promise<RealtimeEvent[]> {
  let query = db
    .selectFrom('realtime_events')
    .select(['id', 'workspace_id', 'type', 'case_id', 'data', 'created_at'])
    .where('id', '>', options.afterId)
    .orderBy('id')
    .limit(options.limit);
  if (options.uptoId !== undefined) query = query.where('id', '<=', options.uptoId);
  if (options.workspaceId !== undefined) query = query.where('workspace_id', '=', options.workspaceId);
  return (await query.execute()).map(toEvent);
}

/** The newest id (0 when the log is empty). */
export async function latestEventId(db: Db): Promise<number> {
  const row = await sql<{ id: number | null }>`select max(id) as id from realtime_events`.execute(db);
  return Number(row.rows[0]?.id ?? 0);
}

/** The oldest id still kept (null when the log is empty): a client behind it must resync. */
export async function oldestEventId(db: Db): Promise<number | null> {
  const row = await sql<{ id: number | null }>`select min(id) as id from realtime_events`.execute(db);
  const id = row.rows[0]?.id;
  return id === null || id === undefined ? null : Number(id);
}

/** Drops events older than the retention window (the ring); returns how many. */
export async function pruneRealtimeEvents(db: Db, olderThan: Date): Promise<number> {
  const result = await db.deleteFrom('realtime_events').where('created_at', '<', olderThan).executeTakeFirst();
  return Number(result.numDeletedRows);
}
