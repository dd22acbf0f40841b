import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { SlaCaseClocksTable, SlaCaseTargetsTable, SlaEventType, SlaMetric } from './schema.js';

/**
 * SQL of the case clocks: one sla_case_clocks row per case, its targets, and the append-only
 * sla_events. Written by Baton itself (the case listener and the timer job), always scoped by the
 * event's or job's workspace; agents read through case-sla.ts, which authorizes first.
 */

export type ClockRow = Selectable<SlaCaseClocksTable>;
export type TargetRow = Selectable<SlaCaseTargetsTable>;
export type TargetChanges = Updateable<SlaCaseTargetsTable>;

export async function lockClock(tx: Db, workspaceId: string, caseId: string): Promise<ClockRow | undefined> {
  return tx
    .selectFrom('sla_case_clocks')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('case_id', '=', caseId)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Locks the case's clock and marks `eventId` applied, in one statement (the listener used to lock,
 * then write `last_event_id` at the end: two round trips per event). Returns the clock and the
 * last event applied before this one, so a redelivered event is recognised and skipped; undefined
 * when the case has no clock yet. A failing listener's savepoint undoes the mark with the rest.
 */
export async function lockClockForEvent(
  tx: Db,
  workspaceId: string,
  caseId: string,
  eventId: number,
): Promise<{ clock: ClockRow; previousEventId: number } | undefined> {
  const result = await sql<ClockRow & { previous_event_id: string }>`
    update sla_case_clocks c
    set last_event_id = greatest(c.last_event_id, ${eventId}), updated_at = now()
    from (select case_id, last_event_id as previous_event_id from sla_case_clocks
          where workspace_id = ${workspaceId} and case_id = ${caseId} for update) p
    where c.case_id = p.case_id
    returning c.*, p.previous_event_id`.execute(tx);
  const row = result.rows[0];
  if (!row) return undefined;
  const { previous_event_id: previous, ...clock } = row;
  return { clock, previousEventId: Number(previous) };
}

/**
 * lockClockForEvent for several events of different cases in one statement (a relay batch's
 * messages). Each case must appear once. Keyed by event id; an event whose case has no clock is
 * absent.
 */
export async function lockClocksForEvents(
  tx: Db,
  events: { workspaceId: string; caseId: string; eventId: number }[],
): Promise<Map<number, { clock: ClockRow; previousEventId: number }>> {
  const locked = new Map<number, { clock: ClockRow; previousEventId: number }>();
  if (events.length === 0) return locked;
  const values = sql.join(events.map((e) => sql`(${e.workspaceId}::uuid, ${e.caseId}::uuid, ${e.eventId}::bigint)`));
  const result = await sql<ClockRow & { previous_event_id: string; event_id: string }>`
    update sla_case_clocks c
    set last_event_id = greatest(c.last_event_id, p.event_id), updated_at = now()
    from (select s.case_id, s.last_event_id as previous_event_id, v.event_id
          from sla_case_clocks s join (values ${values}) as v (workspace_id, case_id, event_id)
            on s.workspace_id = v.workspace_id and s.case_id = v.case_id
          order by s.case_id
          for update of s) p
    where c.case_id = p.case_id
    returning c.*, p.previous_event_id, p.event_id`.execute(tx);
  for (const row of result.rows) {
    const { previous_event_id: previous, event_id: eventId, ...clock } = row;
    locked.set(Number(eventId), { clock, previousEventId: Number(previous) });
  }
  return locked;
}

/** Creates the clock row, or returns undefined when another transaction created it first. */
export async function insertClock(tx: Db, row: Insertable<SlaCaseClocksTable>): Promise<ClockRow | undefined> {
  return tx
    .insertInto('sla_case_clocks')
    .values(row)
    .onConflict((oc) => oc.column('case_id').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function updateClock(tx: Db, caseId: string, changes: Updateable<SlaCaseClocksTable>): Promise<ClockRow> {
  return tx
    .updateTable('sla_case_clocks')
    .set({ ...changes, updated_at: new Date() })
    .where('case_id', '=', caseId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function lockTargets(tx: Db, caseId: string): Promise<TargetRow[]> {
  return tx.selectFrom('sla_case_targets').selectAll().where('case_id', '=', caseId).orderBy('metric').forUpdate().execute();
}

export async function lockTarget(tx: Db, workspaceId: string, targetId: string): Promise<TargetRow | undefined> {
  return tx
    .selectFrom('sla_case_targets')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', targetId)
    .forUpdate()
    .executeTakeFirst();
}

export async function insertTarget(tx: Db, row: Insertable<SlaCaseTargetsTable>): Promise<TargetRow> {
  return tx.insertInto('sla_case_targets').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateTarget(tx: Db, id: string, changes: TargetChanges): Promise<TargetRow> {
  return tx
    .updateTable('sla_case_targets')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteTarget(tx: Db, id: string): Promise<void> {
  await tx.deleteFrom('sla_case_targets').where('id', '=', id).execute();
}

export interface NewSlaEvent {
  workspaceId: string;
  caseId: string;
  policyId: string | null;
  type: SlaEventType;
  metric?: SlaMetric | null;
  cycle?: number | null;
  occurredAt: Date;
  data?: Record<string, unknown>;
}

export async function appendSlaEvent(tx: Db, event: NewSlaEvent): Promise<void> {
  await tx
    .insertInto('sla_events')
    .values({
      workspace_id: event.workspaceId,
      case_id: event.caseId,
      policy_id: event.policyId,
      metric: event.metric ?? null,
      cycle: event.cycle ?? null,
      type: event.type,
      occurred_at: event.occurredAt,
      data: JSON.stringify(event.data ?? {}),
    })
    .execute();
}
