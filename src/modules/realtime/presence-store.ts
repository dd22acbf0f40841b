import type { Db } from '../../db/database.js';
import type { ConnectionStatus } from './schema.js';

/** SQL of realtime_connections: the open agent sockets of every process. */

export interface ConnectionOwner {
  workspace_id: string;
  agent_id: string;
}

export async function insertConnection(
  db: Db,
  row: { id: string; workspaceId: string; agentId: string; processId: string; status: ConnectionStatus },
): Promise<void> {
  await db
    .insertInto('realtime_connections')
    .values({ id: row.id, workspace_id: row.workspaceId, agent_id: row.agentId, process_id: row.processId, status: row.status })
    .execute();
}

export async function setConnectionStatus(db: Db, id: string, status: ConnectionStatus): Promise<void> {
  await db.updateTable('realtime_connections').set({ status, seen_at: new Date() }).where('id', '=', id).execute();
}

/** Heartbeat of this process's connections: one statement for all of them. */
export async function touchConnections(db: Db, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('realtime_connections').set({ seen_at: new Date() }).where('id', 'in', ids).execute();
}

export async function deleteConnections(db: Db, ids: string[]): Promise<ConnectionOwner[]> {
  if (ids.length === 0) return [];
  return db.deleteFrom('realtime_connections').where('id', 'in', ids).returning(['workspace_id', 'agent_id']).execute();
}

/** Connections nobody refreshed since `staleBefore` (their process died). */
export async function deleteStaleConnections(db: Db, staleBefore: Date): Promise<ConnectionOwner[]> {
  return db.deleteFrom('realtime_connections').where('seen_at', '<', staleBefore).returning(['workspace_id', 'agent_id']).execute();
}

export async function connectionStatusesOf(db: Db, workspaceId: string, agentId: string, staleBefore: Date): Promise<ConnectionStatus[]> {
  const rows = await db
    .selectFrom('realtime_connections')
    .select('status')
    .where('workspace_id', '=', workspaceId)
    .where('agent_id', '=', agentId)
    .where('seen_at', '>=', staleBefore)
    .execute();
  return rows.map((r) => r.status);
}
