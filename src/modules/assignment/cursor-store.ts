import type { Db } from '../../db/database.js';

/** SQL of assignment_cursors: one round-robin pointer per team. */

/**
 * Locks the team's cursor row for the rest of the transaction, creating it on first use, and
 * returns the agent who got the previous case. Concurrent picks for one team queue here.
 */
export async function lockAssignmentCursor(tx: Db, workspaceId: string, teamId: string): Promise<{ lastAgentId: string | null }> {
  await tx
    .insertInto('assignment_cursors')
    .values({ team_id: teamId, workspace_id: workspaceId })
    .onConflict((oc) => oc.column('team_id').doNothing())
    .execute();
  const row = await tx
    .selectFrom('assignment_cursors')
    .select('last_agent_id')
    .where('team_id', '=', teamId)
    .where('workspace_id', '=', workspaceId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return { lastAgentId: row.last_agent_id };
}

export async function advanceAssignmentCursor(tx: Db, workspaceId: string, teamId: string, agentId: string): Promise<void> {
  await tx
    .updateTable('assignment_cursors')
    .set({ last_agent_id: agentId, updated_at: new Date() })
    .where('team_id', '=', teamId)
    .where('workspace_id', '=', workspaceId)
    .execute();
}
