import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/database.js';
import { listTeamAgentsForAssignment } from '../agents/service.js';
import { countOpenCasesUpTo } from '../cases/workload.js';
import { advanceAssignmentCursor, lockAssignmentCursor } from './cursor-store.js';

/**
 * Round-robin assignment within a team.
 *
 * Candidates are the team's active members who are online or away and whose open cases (new,
 * open, on_hold) are under their capacity. Online agents are preferred; away agents receive
 * cases only when no online agent has room. Among the candidates the next one after the agent
 * who got the previous case is chosen, in a stable order (agent id), wrapping around.
 *
 * The team's cursor row is locked (SELECT ... FOR UPDATE) before the open cases are counted, so
 * concurrent picks queue and each sees the cursor the previous one left. Called inside the
 * transaction that assigns the case, the lock lasts until that assignment commits, and the next
 * pick also counts the case just assigned: an agent with one free slot cannot get two cases.
 *
 * Returns null when nobody is free (or the team is empty or not in this workspace).
 */
export async function pickAssignee(db: Db, workspaceId: string, teamId: string): Promise<string | null> {
  return inTransaction(db, async (tx) => {
    const members = await listTeamAgentsForAssignment(tx, workspaceId, teamId);
    const reachable = members.filter((m) => m.presence !== 'offline' && m.capacity > 0);
    // No member of this workspace's team: nothing to lock (and no cursor for a foreign team).
    if (reachable.length === 0) return null;

    const cursor = await lockAssignmentCursor(tx, workspaceId, teamId);
    const openCases = await countOpenCasesUpTo(
      tx,
      workspaceId,
      reachable.map((m) => ({ agentId: m.id, upTo: m.capacity })),
    );
    const free = reachable.filter((m) => (openCases.get(m.id) ?? 0) < m.capacity);
    const online = free.filter((m) => m.presence === 'online');
    const pool = (online.length > 0 ? online : free).map((m) => m.id).sort();
    if (pool.length === 0) return null;

    const last = cursor.lastAgentId;
    const next = (last !== null ? pool.find((id) => id > last) : undefined) ?? pool[0]!;
    await advanceAssignmentCursor(tx, workspaceId, teamId, next);
    return next;
  });
}
