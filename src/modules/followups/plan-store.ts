import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { workspaceScope } from '../../platform/authorization.js';

/** SQL of followup_case_plans: a case's pending cycle (reminder, auto-solve) and solve cycle (check-in). */

export interface PlanRow {
  case_id: string;
  workspace_id: string;
  pending_cycle: number;
  pending_since: Date | null;
  reminder_due_at: Date | null;
  reminder_sent_at: Date | null;
  solve_due_at: Date | null;
  auto_solved_at: Date | null;
  solve_cycle: number;
  solved_since: Date | null;
  checkin_due_at: Date | null;
  checkin_sent_at: Date | null;
  updated_at: Date;
}

export type PlanChanges = Partial<Omit<PlanRow, 'case_id' | 'workspace_id' | 'updated_at'>>;

export async function findPlan(tx: Db, actor: Actor, caseId: string, options: { forUpdate?: boolean } = {}): Promise<PlanRow | undefined> {
  let query = tx
    .selectFrom('followup_case_plans')
    .selectAll()
    .where('workspace_id', '=', workspaceScope(actor))
    .where('case_id', '=', caseId);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** The case's plan row, created empty when missing, locked for the caller's transaction. */
export async function lockPlan(tx: Db, actor: Actor, caseId: string): Promise<PlanRow> {
  await tx
    .insertInto('followup_case_plans')
    .values({ case_id: caseId, workspace_id: workspaceScope(actor) })
    .onConflict((oc) => oc.column('case_id').doNothing())
    .execute();
  return (await findPlan(tx, actor, caseId, { forUpdate: true }))!;
}

export async function updatePlan(tx: Db, actor: Actor, caseId: string, changes: PlanChanges): Promise<PlanRow> {
  return tx
    .updateTable('followup_case_plans')
    .set({ ...changes, updated_at: new Date() })
    .where('workspace_id', '=', workspaceScope(actor))
    .where('case_id', '=', caseId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * followupsAMessageMayEnd for several messages of different cases, one statement: the cases,
 * among those given, where a message may end something (absent: nothing to end).
 */
export async function casesMessagesMayEnd(
  tx: Db,
  messages: { workspaceId: string; caseId: string; messageAt: Date }[],
): Promise<Set<string>> {
  if (messages.length === 0) return new Set();
  const values = sql.join(messages.map((m) => sql`(${m.workspaceId}::uuid, ${m.caseId}::uuid, ${m.messageAt}::timestamptz)`));
  const result = await sql<{ case_id: string }>`
    select v.case_id from (values ${values}) as v (workspace_id, case_id, message_at)
    where exists (select 1 from followup_snoozes s
                  where s.workspace_id = v.workspace_id and s.case_id = v.case_id and s.created_at <= v.message_at)
       or exists (select 1 from followup_case_plans p
                  where p.workspace_id = v.workspace_id and p.case_id = v.case_id
                    and (p.reminder_due_at is not null or p.solve_due_at is not null))`.execute(tx);
  return new Set(result.rows.map((row) => row.case_id));
}

/**
 * What a customer's message at `messageAt` may end on the case: a snooze set at or before it, a
 * planned pending reminder or auto-solve. One statement without locks, because most messages find
 * neither (the callers then lock and check again before changing anything).
 */
export async function followupsAMessageMayEnd(
  tx: Db,
  actor: Actor,
  caseId: string,
  messageAt: Date,
): Promise<{ snoozed: boolean; pendingPlanned: boolean }> {
  const workspaceId = workspaceScope(actor);
  const result = await sql<{ snoozed: boolean; pending_planned: boolean }>`
    select
      exists (select 1 from followup_snoozes
              where workspace_id = ${workspaceId} and case_id = ${caseId} and created_at <= ${messageAt}) as snoozed,
      exists (select 1 from followup_case_plans
              where workspace_id = ${workspaceId} and case_id = ${caseId}
                and (reminder_due_at is not null or solve_due_at is not null)) as pending_planned`.execute(tx);
  const row = result.rows[0]!;
  return { snoozed: row.snoozed, pendingPlanned: row.pending_planned };
}
