import type { Db } from '../../db/database.js';
import type { CaseStatus } from './schema.js';

/**
 * Statuses that occupy an agent: the case needs them. Pending (waiting on the customer), solved
 * and closed cases do not count against an agent's capacity.
 */
export const WORKLOAD_STATUSES: readonly CaseStatus[] = ['new', 'open', 'on_hold'];

/**
 * Open cases per assignee, in one grouped query; agents without any are present with 0. Used by
 * round-robin inside its transaction (the workspace comes from the team being assigned, not from
 * an actor).
 */
export async function countOpenCasesByAssignee(db: Db, workspaceId: string, agentIds: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const ids = [...new Set(agentIds)];
  if (ids.length === 0) return counts;
  for (const id of ids) counts.set(id, 0);
  const rows = await db
    .selectFrom('cases')
    .select(['assignee_id', (eb) => eb.fn.countAll<number>().as('open_cases')])
    .where('workspace_id', '=', workspaceId)
    .where('assignee_id', 'in', ids)
    .where('status', 'in', [...WORKLOAD_STATUSES])
    .groupBy('assignee_id')
    .execute();
  for (const row of rows) {
    if (row.assignee_id !== null) counts.set(row.assignee_id, Number(row.open_cases));
  }
  return counts;
}
