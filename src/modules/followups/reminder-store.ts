import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { workspaceScope } from '../../platform/authorization.js';
import type { ReminderStatus } from './schema.js';

/** SQL of followup_reminders (an agent's own reminders on cases). */

export interface ReminderRow {
  id: string;
  workspace_id: string;
  case_id: string;
  agent_id: string;
  created_by: string | null;
  remind_at: Date;
  note: string;
  status: ReminderStatus;
  due_at: Date | null;
  done_at: Date | null;
  created_at: Date;
}

export async function insertReminder(
  tx: Db,
  actor: Actor,
  input: { caseId: string; agentId: string; createdBy: string | null; remindAt: Date; note: string },
): Promise<ReminderRow> {
  return tx
    .insertInto('followup_reminders')
    .values({
      workspace_id: workspaceScope(actor),
      case_id: input.caseId,
      agent_id: input.agentId,
      created_by: input.createdBy,
      remind_at: input.remindAt,
      note: input.note,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findReminder(
  tx: Db,
  actor: Actor,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<ReminderRow | undefined> {
  let query = tx.selectFrom('followup_reminders').selectAll().where('workspace_id', '=', workspaceScope(actor)).where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function setReminderStatus(
  tx: Db,
  actor: Actor,
  id: string,
  changes: { status: ReminderStatus; due_at?: Date; done_at?: Date | null },
) {
  return tx
    .updateTable('followup_reminders')
    .set(changes)
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteReminderRow(tx: Db, actor: Actor, id: string): Promise<void> {
  await tx.deleteFrom('followup_reminders').where('workspace_id', '=', workspaceScope(actor)).where('id', '=', id).execute();
}

/** One agent's reminders of one status, keyset by (remind_at, id): due and upcoming soonest first, done latest first. */
export async function listReminderRows(
  db: Db,
  actor: Actor,
  query: { agentId: string; status: ReminderStatus; limit: number; after?: { at: Date; id: string } | undefined },
): Promise<ReminderRow[]> {
  const desc = query.status === 'done';
  let q = db
    .selectFrom('followup_reminders')
    .selectAll()
    .where('workspace_id', '=', workspaceScope(actor))
    .where('agent_id', '=', query.agentId)
    .where('status', '=', query.status);
  if (query.after) {
    const { at, id } = query.after;
    const cmp = desc ? '<' : '>';
    q = q.where((eb) => eb.or([eb('remind_at', cmp, at), eb.and([eb('remind_at', '=', at), eb('id', cmp, id)])]));
  }
  return q
    .orderBy('remind_at', desc ? 'desc' : 'asc')
    .orderBy('id', desc ? 'desc' : 'asc')
    .limit(query.limit + 1)
    .execute();
}

/** An agent's reminders on one case that are not done (the case page). */
export async function listCaseReminderRows(db: Db, actor: Actor, caseId: string, agentId: string): Promise<ReminderRow[]> {
  return db
    .selectFrom('followup_reminders')
    .selectAll()
    .where('workspace_id', '=', workspaceScope(actor))
    .where('case_id', '=', caseId)
    .where('agent_id', '=', agentId)
    .where('status', '!=', 'done')
    .orderBy('remind_at')
    .orderBy('id')
    .limit(100)
    .execute();
}
