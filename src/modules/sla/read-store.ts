import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { authorize, workspaceScope } from '../../platform/authorization.js';
import type { ClockRow, TargetRow } from './clock-store.js';
import type { SlaMetric } from './schema.js';

/** SQL behind the SLA reads (a case's targets, the breaching/breached lists, attainment); sla.read first. */

const slaResource = (actor: Actor) => ({ workspaceId: workspaceScope(actor), type: 'case' });

export async function clockOfCase(db: Db, actor: Actor, caseId: string): Promise<{ clock: ClockRow | undefined; targets: TargetRow[] }> {
  authorize(actor, 'sla.read', slaResource(actor));
  const ws = workspaceScope(actor);
  const clock = await db
    .selectFrom('sla_case_clocks')
    .selectAll()
    .where('workspace_id', '=', ws)
    .where('case_id', '=', caseId)
    .executeTakeFirst();
  if (!clock) return { clock, targets: [] };
  const targets = await db
    .selectFrom('sla_case_targets')
    .selectAll()
    .where('workspace_id', '=', ws)
    .where('case_id', '=', caseId)
    .orderBy('started_at')
    .orderBy('metric')
    .execute();
  return { clock, targets };
}

export interface WorstTargetRow {
  case_id: string;
  target_id: string;
  metric: SlaMetric;
  cycle: number;
  target_minutes: number;
  due_at: Date;
  breached_at: Date | null;
  paused: boolean;
}

/**
 * Each case's worst open target (earliest due) among those running towards a breach before
 * `dueBefore` ('breaching_soon') or breached and not yet met ('breached', optionally breached
 * since `breachedSince`), ordered by that due time, keyset-paginated on (due_at, case_id).
 */
export async function listWorstTargets(
  db: Db,
  actor: Actor,
  query: {
    state: 'breaching_soon' | 'breached';
    dueBefore?: Date | undefined;
    breachedSince?: Date | undefined;
    limit: number;
    after?: [Date, string] | undefined;
  },
): Promise<WorstTargetRow[]> {
  authorize(actor, 'sla.read', slaResource(actor));
  const ws = workspaceScope(actor);
  const open =
    query.state === 'breaching_soon'
      ? sql`t.met_at is null and t.breached_at is null and t.due_at is not null and t.due_at <= ${query.dueBefore ?? new Date()}`
      : query.breachedSince
        ? sql`t.met_at is null and t.breached_at is not null and t.breached_at >= ${query.breachedSince}`
        : sql`t.met_at is null and t.breached_at is not null`;
  const after = query.after ? sql`and (w.due_at, w.case_id) > (${query.after[0]}, ${query.after[1]}::uuid)` : sql``;
  const result = await sql<WorstTargetRow>`
    select * from (
      select distinct on (t.case_id) t.case_id, t.id as target_id, t.metric, t.cycle, t.target_minutes, t.due_at, t.breached_at,
        (t.paused_at is not null) as paused
      from sla_case_targets t
      where t.workspace_id = ${ws} and ${open}
      order by t.case_id, t.due_at, t.metric
    ) w
    where true ${after}
    order by w.due_at, w.case_id
    limit ${query.limit + 1}`.execute(db);
  return result.rows;
}

export interface OutcomeRow {
  metric: SlaMetric;
  met_on_time: number;
  met_late: number;
  breached: number;
  average_elapsed_ms: number | null;
  median_elapsed_ms: number | null;
}

/** Outcomes per metric among sla_events of [from, to): met (on time or late) and breached. */
export async function outcomesBetween(db: Db, actor: Actor, from: Date, to: Date): Promise<OutcomeRow[]> {
  authorize(actor, 'sla.read', slaResource(actor));
  const result = await sql<OutcomeRow>`
    select metric,
      count(*) filter (where type = 'met' and not coalesce((data->>'breached')::boolean, false))::int as met_on_time,
      count(*) filter (where type = 'met' and coalesce((data->>'breached')::boolean, false))::int as met_late,
      count(*) filter (where type = 'breached')::int as breached,
      round(avg((data->>'elapsed_ms')::bigint) filter (where type = 'met'))::float8 as average_elapsed_ms,
      round((percentile_cont(0.5) within group (order by (data->>'elapsed_ms')::bigint) filter (where type = 'met'))::numeric)::float8
        as median_elapsed_ms
    from sla_events
    where workspace_id = ${workspaceScope(actor)} and type in ('met', 'breached') and occurred_at >= ${from} and occurred_at < ${to}
      and metric is not null
    group by metric`.execute(db);
  return result.rows;
}
