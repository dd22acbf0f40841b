import type { Db } from '../../../db/database.js';
import { encodeCursor } from '../../../http/pagination.js';
import type { Actor } from '../../../platform/actor.js';
import { authorize } from '../../../platform/authorization.js';
import { validationError } from '../../../platform/errors.js';
import { getCase } from '../../cases/service.js';
import type { MoneyActionStatus } from '../schema.js';
import { isUuid, selectMoneyActions, type MoneyActionListFilter } from './store.js';
import { toMoneyActionViews, type MoneyActionView } from './views.js';

export interface MoneyActionPage {
  data: MoneyActionView[];
  next_cursor: string | null;
}

/** A cursor is the base64url JSON of the last action's id; its row gives the exact sort key. */
function afterOf(cursor: string | undefined): string | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (!Array.isArray(value) || value.length !== 1 || typeof value[0] !== 'string' || !isUuid(value[0])) {
    throw validationError('pagination.invalid_cursor', 'The cursor is not valid for this list; start again without it', {
      field: 'cursor',
    });
  }
  return value[0];
}

async function page(
  db: Db,
  actor: Actor,
  filter: Omit<MoneyActionListFilter, 'after'>,
  cursor: string | undefined,
): Promise<MoneyActionPage> {
  const rows = await selectMoneyActions(db, actor, { ...filter, after: afterOf(cursor) });
  const more = rows.length > filter.limit;
  const shown = more ? rows.slice(0, filter.limit) : rows;
  return {
    data: await toMoneyActionViews(db, actor, shown),
    next_cursor: more && shown.length > 0 ? encodeCursor([shown.at(-1)!.id]) : null,
  };
}

/** The money actions of one case, newest first (the case must be readable by the actor). */
export async function listMoneyActionsOfCasePage(
  db: Db,
  actor: Actor,
  caseId: string,
  request: { limit?: number | undefined; cursor?: string | undefined } = {},
): Promise<MoneyActionPage> {
  authorize(actor, 'billing.read', { workspaceId: actor.workspaceId, type: 'case' });
  const kase = await getCase(db, actor, caseId);
  return page(db, actor, { caseId: kase.id, order: 'newest', limit: request.limit ?? 25 }, request.cursor);
}

/** For other modules (case panel, dispute packet): a case's money actions, newest first (up to 100). */
export async function listMoneyActionsOfCase(db: Db, actor: Actor, caseId: string): Promise<MoneyActionView[]> {
  return (await listMoneyActionsOfCasePage(db, actor, caseId, { limit: 100 })).data;
}

/** The approval queue (status pending_approval, oldest first) or any other status, for approvers. */
export async function listMoneyActionsByStatus(
  db: Db,
  actor: Actor,
  request: { status?: MoneyActionStatus | undefined; limit?: number | undefined; cursor?: string | undefined },
): Promise<MoneyActionPage> {
  authorize(actor, 'billing.approve', { workspaceId: actor.workspaceId, type: 'money_action' });
  const status = request.status ?? 'pending_approval';
  const order = status === 'pending_approval' ? 'oldest' : 'newest';
  return page(db, actor, { status, order, limit: request.limit ?? 25 }, request.cursor);
}
