import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { authorize, workspaceScope } from '../../platform/authorization.js';

/** Reads the workspace's audit log (written through platform/audit.ts), newest first. */
export async function listAuditRows(
  db: Db,
  actor: Actor,
  filter: { action?: string; targetType?: string; targetId?: string; limit: number; beforeId?: number },
) {
  authorize(actor, 'audit.read');
  let query = db
    .selectFrom('audit_log')
    .select(['id', 'actor_type', 'actor_id', 'action', 'target_type', 'target_id', 'details', 'created_at'])
    .where('workspace_id', '=', workspaceScope(actor));
  if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.targetType) query = query.where('target_type', '=', filter.targetType);
  if (filter.targetId) query = query.where('target_id', '=', filter.targetId);
  if (filter.beforeId !== undefined) query = query.where('id', '<', filter.beforeId);
  return query
    .orderBy('id', 'desc')
    .limit(filter.limit + 1)
    .execute();
}
