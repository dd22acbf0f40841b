import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { authorize, workspaceScope } from '../../platform/authorization.js';
import { isUuid } from './store.js';

/**
 * When each case last changed status (its latest `status_changed` history entry), in one query;
 * cases that never changed status are absent (their status dates from creation). For time-based
 * rules ("pending for more than 48 hours").
 */
export async function getStatusChangedTimes(db: Db, actor: Actor, caseIds: readonly string[]): Promise<Map<string, Date>> {
  authorize(actor, 'case.read', { workspaceId: workspaceScope(actor), type: 'case' });
  const ids = [...new Set(caseIds.filter(isUuid).map((id) => id.toLowerCase()))];
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('case_events')
    .select(['case_id'])
    .select((eb) => eb.fn.max('created_at').as('at'))
    .where('workspace_id', '=', workspaceScope(actor))
    .where('case_id', 'in', ids)
    .where('type', '=', 'status_changed')
    .groupBy('case_id')
    .execute();
  return new Map(rows.map((row) => [row.case_id, new Date(row.at as unknown as string | Date)]));
}
