import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { authorize, workspaceScope } from '../../platform/authorization.js';
import type { CaseStatus } from './schema.js';
import { isUuid } from './store.js';

/**
 * The coarse SQL half of a time-based rule: cases of a workspace in some statuses whose
 * creation, last update or last status change lies before/after given instants. The caller
 * checks the rule's full conditions on what this returns (a superset of the matches), so only
 * filters that are cheap and exact live here.
 */
export interface AutomationCandidateFilter {
  /** Non-empty; closed cases are never candidates (they can no longer change). */
  statuses: readonly CaseStatus[];
  createdBefore?: Date | undefined;
  createdAfter?: Date | undefined;
  updatedBefore?: Date | undefined;
  updatedAfter?: Date | undefined;
  /** The last `status_changed` history entry (or the creation, when none) is before this. */
  statusChangedBefore?: Date | undefined;
  statusChangedAfter?: Date | undefined;
  /** Keyset: only ids greater than this one. */
  afterId?: string | undefined;
  /** At most 1,000. */
  limit: number;
}

/** Ids of matching cases in ascending id order (keyset pages: pass the last id as afterId). */
export async function listAutomationCandidateIds(db: Db, actor: Actor, filter: AutomationCandidateFilter): Promise<string[]> {
  authorize(actor, 'case.read', { workspaceId: workspaceScope(actor), type: 'case' });
  if (filter.statuses.length === 0) return [];
  let query = db
    .selectFrom('cases as c')
    .select('c.id')
    .where('c.workspace_id', '=', workspaceScope(actor))
    .where('c.status', 'in', [...filter.statuses])
    // Written out so the planner can use the partial index cases_status_id (migration 0115).
    .where('c.status', '<>', 'closed');
  if (filter.createdBefore) query = query.where('c.created_at', '<', filter.createdBefore);
  if (filter.createdAfter) query = query.where('c.created_at', '>', filter.createdAfter);
  if (filter.updatedBefore) query = query.where('c.updated_at', '<', filter.updatedBefore);
  if (filter.updatedAfter) query = query.where('c.updated_at', '>', filter.updatedAfter);
  // The status-change time is coalesce(latest status_changed entry, created_at), as the rule engine reads it.
  const { statusChangedBefore: before, statusChangedAfter: after } = filter;
  if (before) {
    query = query.where('c.created_at', '<', before).where(
      sql<boolean>`not exists (select 1 from case_events e
          where e.case_id = c.id and e.type = 'status_changed' and e.created_at >= ${before})`,
    );
  }
  if (after) {
    query = query.where(
      sql<boolean>`(c.created_at > ${after} or exists (select 1 from case_events e
        where e.case_id = c.id and e.type = 'status_changed' and e.created_at > ${after}))`,
    );
  }
  if (filter.afterId !== undefined && isUuid(filter.afterId)) query = query.where('c.id', '>', filter.afterId.toLowerCase());
  const rows = await query
    .orderBy('c.id')
    .limit(Math.max(1, Math.min(filter.limit, 1000)))
    .execute();
  return rows.map((r) => r.id);
}
