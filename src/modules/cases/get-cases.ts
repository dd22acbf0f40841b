import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { authorize, workspaceScope } from '../../platform/authorization.js';
import { CASE_COLUMNS, isUuid } from './store.js';
import { toCaseViews, type CaseView } from './views.js';

/**
 * Case views for a list of ids in one batch (one case query plus the batched lookups of
 * toCaseViews), in the order given; ids not visible in the actor's workspace are left out.
 * For other modules' lists that show cases next to their own rows (e.g. SLA views).
 */
export async function getCasesByIds(db: Db, actor: Actor, caseIds: readonly string[]): Promise<CaseView[]> {
  authorize(actor, 'case.read', { workspaceId: workspaceScope(actor), type: 'case' });
  const ids = [...new Set(caseIds.filter(isUuid).map((id) => id.toLowerCase()))];
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('cases')
    .select(CASE_COLUMNS)
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', 'in', ids)
    .execute();
  const views = new Map((await toCaseViews(db, actor, rows)).map((view) => [view.id, view]));
  return ids.map((id) => views.get(id)).filter((view): view is CaseView => view !== undefined);
}
