import { sql, type Insertable } from 'kysely';
import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { workspaceScope } from '../../../platform/authorization.js';
import { AppError } from '../../../platform/errors.js';
import type { BillingMoneyActionsTable, MoneyActionStatus } from '../schema.js';
import type { MoneyActionRow } from './views.js';

/**
 * SQL of money actions. Callers authorize first; every query is scoped to the actor's workspace.
 * Status changes are conditional UPDATEs on the expected status, so two approvers (or two job
 * workers) racing for one action change it once.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => UUID.test(value);

export const moneyActionNotFound = () =>
  new AppError('not_found', 'billing.money_action_not_found', 'This money action does not exist or you may not see it');

export async function insertMoneyAction(
  tx: Db,
  actor: Actor,
  values: Omit<Insertable<BillingMoneyActionsTable>, 'workspace_id'>,
): Promise<MoneyActionRow> {
  return tx
    .insertInto('billing_money_actions')
    .values({ ...values, workspace_id: workspaceScope(actor) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function loadMoneyAction(db: Db, actor: Actor, id: string): Promise<MoneyActionRow> {
  if (!isUuid(id)) throw moneyActionNotFound();
  const row = await db
    .selectFrom('billing_money_actions')
    .selectAll()
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw moneyActionNotFound();
  return row;
}

/** Moves an action from one status to another; undefined when it was not in `from` any more. */
export async function transitionMoneyAction(
  tx: Db,
  actor: Actor,
  id: string,
  from: MoneyActionStatus,
  to: {
    status: MoneyActionStatus;
    decidedBy?: string;
    decisionNote?: string | null;
    failureMessage?: string | null;
  },
): Promise<MoneyActionRow | undefined> {
  return tx
    .updateTable('billing_money_actions')
    .set({
      status: to.status,
      updated_at: sql<Date>`now()`,
      ...(to.decidedBy ? { decided_by: to.decidedBy, decided_at: sql<Date>`now()`, decision_note: to.decisionNote ?? null } : {}),
      ...(to.failureMessage !== undefined ? { failure_message: to.failureMessage } : {}),
    })
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', '=', id)
    .where('status', '=', from)
    .returningAll()
    .executeTakeFirst();
}

/**
 * Counts one execution attempt of an `approved` action (the job, before it asks the processor);
 * the new count, or undefined when the action is no longer `approved` (settled meanwhile).
 */
export async function countExecutionAttempt(tx: Db, actor: Actor, id: string): Promise<number | undefined> {
  const row = await tx
    .updateTable('billing_money_actions')
    .set({ execution_attempts: sql<number>`execution_attempts + 1`, updated_at: sql<Date>`now()` })
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', '=', id)
    .where('status', '=', 'approved')
    .returning('execution_attempts')
    .executeTakeFirst();
  return row?.execution_attempts;
}

export interface MoneyActionListFilter {
  caseId?: string;
  status?: MoneyActionStatus;
  /** Oldest first (an approval queue) or newest first (a case's history). */
  order: 'oldest' | 'newest';
  limit: number;
  /** The id of the last action of the previous page. */
  after?: string;
}

export async function selectMoneyActions(db: Db, actor: Actor, filter: MoneyActionListFilter): Promise<MoneyActionRow[]> {
  const workspaceId = workspaceScope(actor);
  let query = db.selectFrom('billing_money_actions as a').selectAll('a').where('a.workspace_id', '=', workspaceId);
  if (filter.caseId) query = query.where('a.case_id', '=', filter.caseId);
  if (filter.status) query = query.where('a.status', '=', filter.status);
  const newest = filter.order === 'newest';
  if (filter.after) {
    const after = filter.after;
    // Keyset on (created_at, id) read from the cursor's own row: exact to the microsecond.
    const cursorRow = sql`(select c.created_at, c.id from billing_money_actions c where c.workspace_id = ${workspaceId} and c.id = ${after})`;
    query = query.where(newest ? sql<boolean>`(a.created_at, a.id) < ${cursorRow}` : sql<boolean>`(a.created_at, a.id) > ${cursorRow}`);
  }
  return query
    .orderBy('a.created_at', newest ? 'desc' : 'asc')
    .orderBy('a.id', newest ? 'desc' : 'asc')
    .limit(filter.limit + 1)
    .execute();
}
