import type { AppContext } from '../../context.js';
import { inTransaction, type Db } from '../../db/database.js';
import type { Actor, AgentActor } from '../../platform/actor.js';
import { authorize, workspaceScope } from '../../platform/authorization.js';
import { forbidden, notFound, validationError } from '../../platform/errors.js';
import { recordDomainEvent } from '../../platform/outbox.js';
import { encodeCursor } from '../../http/pagination.js';
import { keysetAfter } from './cursor.js';
import { getAgentsByIds } from '../agents/service.js';
import { getCase, getCasesByIds, type CaseView } from '../cases/service.js';
import { notifyAgent } from './notify.js';
import {
  deleteReminderRow,
  findReminder,
  insertReminder,
  listCaseReminderRows,
  listReminderRows,
  setReminderStatus,
  type ReminderRow,
} from './reminder-store.js';
import type { ReminderStatus } from './schema.js';
import { assertFutureWithinYear } from './snooze.js';
import { planTimer, plansInstant, type FollowupTimerPayload } from './timers.js';
import { reminderView, type CaseRef, type ReminderView } from './views.js';

/**
 * An agent's own reminders on cases. Agents set them for themselves; supervisors and admins may
 * set one for another agent. Only the agent a reminder is for (or the one who set it) sees,
 * completes or deletes it; anyone else gets 404, as for an object of another workspace.
 */

export const caseRef = (kase: CaseView): CaseRef => ({
  id: kase.id,
  number: kase.number,
  subject: kase.subject,
  status: kase.status,
  assignee_id: kase.assignee?.id ?? null,
  team_id: kase.team_id,
});

const mayActForOthers = (actor: AgentActor) => actor.role === 'supervisor' || actor.role === 'admin';

export async function createReminder(
  db: Db,
  actor: AgentActor,
  caseId: string,
  input: { remindAt: Date; note?: string | undefined; agentId?: string | undefined },
): Promise<ReminderView> {
  const agentId = input.agentId ?? actor.agentId;
  return inTransaction(db, async (tx) => {
    // A case the caller may not see is a 404 whatever the input.
    const kase = await getCase(tx, actor, caseId);
    assertFutureWithinYear(input.remindAt, 'remind_at');
    if (agentId !== actor.agentId && !mayActForOthers(actor)) {
      throw forbidden('followup.reminder_for_others', 'Only supervisors and admins may set reminders for other agents');
    }
    authorize(actor, 'case.write', { workspaceId: workspaceScope(actor), type: 'case', caseId: kase.id });
    if (agentId !== actor.agentId && !(await getAgentsByIds(tx, actor, [agentId])).has(agentId)) {
      throw validationError('followup.unknown_agent', 'No agent with this id in the workspace', { field: 'agent_id' });
    }
    const row = await insertReminder(tx, actor, {
      caseId: kase.id,
      agentId,
      createdBy: actor.agentId,
      remindAt: input.remindAt,
      note: input.note?.trim() ?? '',
    });
    await planTimer(tx, {
      kind: 'agent_reminder',
      workspace_id: row.workspace_id,
      case_id: kase.id,
      ref_id: row.id,
      cycle: 0,
      at: row.remind_at,
    });
    return reminderView(row, caseRef(kase));
  });
}

async function ownReminder(tx: Db, actor: AgentActor, id: string, forUpdate = false): Promise<ReminderRow> {
  authorize(actor, 'case.read', { workspaceId: workspaceScope(actor), type: 'reminder' });
  const row = await findReminder(tx, actor, id, { forUpdate });
  if (!row || (row.agent_id !== actor.agentId && row.created_by !== actor.agentId)) throw notFound('reminder');
  return row;
}

export async function completeReminder(db: Db, actor: AgentActor, id: string): Promise<ReminderView> {
  return inTransaction(db, async (tx) => {
    const row = await ownReminder(tx, actor, id, true);
    const done = row.status === 'done' ? row : await setReminderStatus(tx, actor, id, { status: 'done', done_at: new Date() });
    const [kase] = await getCasesByIds(tx, actor, [row.case_id]);
    return reminderView(done, kase ? caseRef(kase) : null);
  });
}

export async function deleteReminder(db: Db, actor: AgentActor, id: string): Promise<void> {
  await inTransaction(db, async (tx) => {
    await ownReminder(tx, actor, id, true);
    await deleteReminderRow(tx, actor, id);
  });
}

export async function listMyReminders(
  db: Db,
  actor: AgentActor,
  query: { status: ReminderStatus; limit: number; cursor?: string | undefined },
): Promise<{ data: ReminderView[]; next_cursor: string | null }> {
  authorize(actor, 'case.read', { workspaceId: workspaceScope(actor), type: 'reminder' });
  const rows = await listReminderRows(db, actor, {
    agentId: actor.agentId,
    status: query.status,
    limit: query.limit,
    after: keysetAfter(query.cursor),
  });
  const page = rows.slice(0, query.limit);
  const cases = new Map(
    (
      await getCasesByIds(
        db,
        actor,
        page.map((r) => r.case_id),
      )
    ).map((c) => [c.id, caseRef(c)]),
  );
  const last = page.at(-1);
  return {
    data: page.map((r) => reminderView(r, cases.get(r.case_id) ?? null)),
    next_cursor: rows.length > query.limit && last ? encodeCursor([last.remind_at.toISOString(), last.id]) : null,
  };
}

export async function listMyCaseReminders(db: Db, actor: Actor, kase: CaseView): Promise<ReminderView[]> {
  if (actor.kind !== 'agent') return [];
  const rows = await listCaseReminderRows(db, actor, kase.id, actor.agentId);
  return rows.map((r) => reminderView(r, caseRef(kase)));
}

/**
 * The reminder job: an upcoming reminder still planned for this instant becomes due; its agent
 * gets an email and a live event (`case.reminder_due`, carrying the agent id; the agent app
 * shows it to that agent only). Not a case change, so not in the case history.
 */
export async function fireAgentReminder(ctx: AppContext, tx: Db, actor: Actor, payload: FollowupTimerPayload): Promise<boolean> {
  const row = await findReminder(tx, actor, payload.ref_id, { forUpdate: true });
  if (!row || row.status !== 'upcoming' || !plansInstant(row.remind_at, payload.at)) return false;
  await setReminderStatus(tx, actor, row.id, { status: 'due', due_at: new Date(payload.at) });
  const kase = await getCase(tx, actor, row.case_id);
  await notifyAgent(ctx, tx, actor, row.agent_id, kase, 'reminder', row.note);
  await recordDomainEvent(tx, actor, {
    type: 'case.reminder_due',
    aggregateType: 'case',
    aggregateId: kase.id,
    payload: { reminder_id: row.id, agent_id: row.agent_id, remind_at: row.remind_at.toISOString() },
  });
  return true;
}
