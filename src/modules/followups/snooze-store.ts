import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { workspaceScope } from '../../platform/authorization.js';

/** SQL of followup_snoozes. Callers authorize (the case's permission) before calling. */

export interface SnoozeRow {
  case_id: string;
  workspace_id: string;
  id: string;
  until_at: Date;
  note: string;
  snoozed_by: string | null;
  created_at: Date;
}

export async function findSnooze(
  tx: Db,
  actor: Actor,
  caseId: string,
  options: { forUpdate?: boolean } = {},
): Promise<SnoozeRow | undefined> {
  let query = tx.selectFrom('followup_snoozes').selectAll().where('workspace_id', '=', workspaceScope(actor)).where('case_id', '=', caseId);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** Stores the case's snooze, replacing any earlier one (with a new id, so its wake job is stale). */
export async function putSnooze(
  tx: Db,
  actor: Actor,
  input: { caseId: string; until: Date; note: string; snoozedBy: string | null },
): Promise<SnoozeRow> {
  const values = { until_at: input.until, note: input.note, snoozed_by: input.snoozedBy, created_at: new Date() };
  return tx
    .insertInto('followup_snoozes')
    .values({ case_id: input.caseId, workspace_id: workspaceScope(actor), ...values })
    .onConflict((oc) => oc.column('case_id').doUpdateSet({ ...values, id: sql`gen_random_uuid()` }))
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteSnooze(tx: Db, actor: Actor, caseId: string): Promise<SnoozeRow | undefined> {
  return tx
    .deleteFrom('followup_snoozes')
    .where('workspace_id', '=', workspaceScope(actor))
    .where('case_id', '=', caseId)
    .returningAll()
    .executeTakeFirst();
}

export interface SnoozedCaseRow extends SnoozeRow {
  number: number;
}

/**
 * Snoozed cases of the agent (assigned to them or snoozed by them) or of their teams, by wake-up
 * time. Known shortcut (ARCHITECTURE.md): joins cases and team_members for the filter, as the
 * views module does, since the cases module has no batched filter for it.
 */
export async function listSnoozedRows(
  db: Db,
  actor: Actor & { kind: 'agent' },
  query: { scope: 'mine' | 'team'; limit: number; after?: { until: Date; caseId: string } | undefined },
): Promise<SnoozeRow[]> {
  let q = db
    .selectFrom('followup_snoozes as s')
    .innerJoin('cases as c', 'c.id', 's.case_id')
    .selectAll('s')
    .where('s.workspace_id', '=', workspaceScope(actor))
    .where('c.workspace_id', '=', workspaceScope(actor));
  if (query.scope === 'mine') {
    q = q.where((eb) => eb.or([eb('c.assignee_id', '=', actor.agentId), eb('s.snoozed_by', '=', actor.agentId)]));
  } else {
    q = q.where((eb) => eb('c.team_id', 'in', eb.selectFrom('team_members').select('team_id').where('agent_id', '=', actor.agentId)));
  }
  if (query.after) {
    const { until, caseId } = query.after;
    q = q.where((eb) => eb.or([eb('s.until_at', '>', until), eb.and([eb('s.until_at', '=', until), eb('s.case_id', '>', caseId)])]));
  }
  return q
    .orderBy('s.until_at')
    .orderBy('s.case_id')
    .limit(query.limit + 1)
    .execute();
}
