import type { Updateable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { authorize, workspaceScope, type Permission } from '../../platform/authorization.js';
import { notFound } from '../../platform/errors.js';
import type { AgentRole, AgentStatus, AgentsTable } from './schema.js';
import { AGENT_COLUMNS, type AgentRow } from './views.js';

/** SQL of the agents table. Every function but the login lookup is scoped to the actor's workspace. */

export const agentResource = (workspaceId: string) => ({ workspaceId, type: 'agent' });

export type AgentWithPassword = AgentRow & { password_hash: string | null };

/** The login form names no workspace: emails are unique across the installation. */
export async function findAgentForLogin(db: Db, email: string): Promise<AgentWithPassword | undefined> {
  return db
    .selectFrom('agents')
    .select([...AGENT_COLUMNS, 'password_hash'])
    .where('email', '=', email)
    .executeTakeFirst();
}

export async function getAgentRow(
  db: Db,
  actor: Actor,
  id: string,
  permission: Permission,
  options: { forUpdate?: boolean } = {},
): Promise<AgentWithPassword> {
  authorize(actor, permission);
  let query = db
    .selectFrom('agents')
    .select([...AGENT_COLUMNS, 'password_hash'])
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound('agent');
  authorize(actor, permission, agentResource(row.workspace_id));
  return row;
}

export async function listAgentRows(
  db: Db,
  actor: Actor,
  filter: { status?: AgentStatus; teamId?: string; limit: number; after?: [string, string] },
): Promise<AgentRow[]> {
  authorize(actor, 'agent.read');
  const workspaceId = workspaceScope(actor);
  let query = db.selectFrom('agents').select(AGENT_COLUMNS).where('workspace_id', '=', workspaceId);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.teamId) {
    const teamId = filter.teamId;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('team_members as m')
          .select('m.agent_id')
          .whereRef('m.agent_id', '=', 'agents.id')
          .where('m.team_id', '=', teamId)
          .where('m.workspace_id', '=', workspaceId),
      ),
    );
  }
  if (filter.after) {
    const [name, id] = filter.after;
    query = query.where((eb) => eb.or([eb('name', '>', name), eb.and([eb('name', '=', name), eb('id', '>', id)])]));
  }
  return query
    .orderBy('name')
    .orderBy('id')
    .limit(filter.limit + 1)
    .execute();
}

export async function agentRowsByIds(db: Db, actor: Actor, ids: string[]): Promise<Pick<AgentRow, 'id' | 'name' | 'email' | 'role'>[]> {
  authorize(actor, 'agent.read');
  if (ids.length === 0) return [];
  return db
    .selectFrom('agents')
    .select(['id', 'name', 'email', 'role'])
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', 'in', ids)
    .execute();
}

/** Ids among `ids` that are agents of the actor's workspace. */
export async function existingAgentIds(db: Db, actor: Actor, ids: string[]): Promise<Set<string>> {
  authorize(actor, 'agent.read');
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('agents')
    .select('id')
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', 'in', ids)
    .execute();
  return new Set(rows.map((r) => r.id));
}

export async function isEmailTaken(db: Db, email: string): Promise<boolean> {
  const row = await db.selectFrom('agents').select('id').where('email', '=', email).executeTakeFirst();
  return row !== undefined;
}

export async function insertInvitedAgent(tx: Db, actor: Actor, input: { email: string; name: string; role: AgentRole }): Promise<AgentRow> {
  authorize(actor, 'agent.manage');
  return tx
    .insertInto('agents')
    .values({
      workspace_id: workspaceScope(actor),
      email: input.email,
      name: input.name,
      role: input.role,
      status: 'invited',
      password_hash: null,
    })
    .returning(AGENT_COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function updateAgentRow(
  tx: Db,
  actor: Actor,
  id: string,
  permission: Permission,
  changes: Updateable<AgentsTable>,
): Promise<AgentRow> {
  authorize(actor, permission);
  const row = await tx
    .updateTable('agents')
    .set({ ...changes, updated_at: new Date() })
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', '=', id)
    .returning(AGENT_COLUMNS)
    .executeTakeFirst();
  if (!row) throw notFound('agent');
  return row;
}

/**
 * Locks the workspace's active admins (in id order, so concurrent callers queue instead of
 * deadlocking). A caller waiting here re-reads rows changed meanwhile, so two admins demoting each
 * other at once cannot both succeed.
 */
export async function lockActiveAdminIds(tx: Db, actor: Actor): Promise<string[]> {
  authorize(actor, 'agent.manage');
  const rows = await tx
    .selectFrom('agents')
    .select('id')
    .where('workspace_id', '=', workspaceScope(actor))
    .where('role', '=', 'admin')
    .where('status', '=', 'active')
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.map((r) => r.id);
}

/** Active members of a team, in the stable (id) order round-robin walks. */
export async function activeTeamMembers(
  db: Db,
  workspaceId: string,
  teamId: string,
): Promise<{ id: string; presence: AgentRow['presence']; capacity: number }[]> {
  return db
    .selectFrom('team_members as m')
    .innerJoin('agents as a', 'a.id', 'm.agent_id')
    .select(['a.id', 'a.presence', 'a.capacity'])
    .where('m.workspace_id', '=', workspaceId)
    .where('m.team_id', '=', teamId)
    .where('a.workspace_id', '=', workspaceId)
    .where('a.status', '=', 'active')
    .orderBy('a.id')
    .execute();
}
