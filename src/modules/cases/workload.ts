import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { CaseStatus } from './schema.js';

/**
 * Statuses that occupy an agent: the case needs them. Pending (waiting on the customer), solved
 * and closed cases do not count against an agent's capacity.
 */
export const WORKLOAD_STATUSES: readonly CaseStatus[] = ['new', 'open', 'on_hold'];

/**
 * Open cases per assignee, counted up to `upTo` each (the agent's capacity): whether an agent has
 * room needs no more, and an agent with thousands of open cases would otherwise be counted in
 * full on every pick, under round-robin's team lock (at a million cases that lock queued every
 * new chat of a team behind a 30-50 ms count). Agents without any are present with 0. Used by
 * round-robin inside its transaction (the workspace comes from the team being assigned, not from
 * an actor).
 */
export async function countOpenCasesUpTo(
  db: Db,
  workspaceId: string,
  agents: readonly { agentId: string; upTo: number }[],
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const limits = new Map<string, number>();
  for (const { agentId, upTo } of agents) limits.set(agentId, Math.max(0, Math.floor(upTo)));
  if (limits.size === 0) return counts;
  const rows = await sql<{ agent_id: string; open_cases: number }>`
    select a.agent_id, (
      select count(*)::int from (
        select 1 from cases c
        where c.workspace_id = ${workspaceId} and c.assignee_id = a.agent_id
          and c.status in (${sql.join([...WORKLOAD_STATUSES])})
        limit a.up_to) counted) as open_cases
    from unnest(${[...limits.keys()]}::uuid[], ${[...limits.values()]}::int[]) as a(agent_id, up_to)`.execute(db);
  for (const row of rows.rows) counts.set(row.agent_id, Number(row.open_cases));
  return counts;
}
