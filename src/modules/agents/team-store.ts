import { sql, type Updateable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { authorize, workspaceScope, type Permission } from '../../platform/authorization.js';
import { notFound } from '../../platform/errors.js';
import type { QueuesTable, TeamsTable } from './schema.js';
import type { TeamRow } from './views.js';

/** SQL of teams, team_members and queues. */

const TEAM_COLUMNS = ['id', 'workspace_id', 'name', 'description', 'auto_assign', 'created_at', 'updated_at'] as const;
const QUEUE_COLUMNS = ['id', 'workspace_id', 'team_id', 'name', 'categories', 'created_at'] as const;

export const teamResource = (workspaceId: string) => ({ workspaceId, type: 'team' });
export const queueResource = (workspaceId: string) => ({ workspaceId, type: 'queue' });

export type QueueRow = { id: string; workspace_id: string; team_id: string; name: string; categories: string[]; created_at: Date };

export async function listTeamRows(db: Db, actor: Actor, page: { limit: number; after?: [string, string] }): Promise<TeamRow[]> {
  authorize(actor, 'agent.read');
  let query = db.selectFrom('teams').select(TEAM_COLUMNS).where('workspace_id', '=', workspaceScope(actor));
  if (page.after) {
    const [name, id] = page.after;
    query = query.where((eb) => eb.or([eb('name', '>', name), eb.and([eb('name', '=', name), eb('id', '>', id)])]));
  }
  return query
    .orderBy('name')
    .orderBy('id')
    .limit(page.limit + 1)
    .execute();
}

export async function getTeamRow(
  db: Db,
  actor: Actor,
  id: string,
  permission: Permission,
  options: { forUpdate?: boolean } = {},
): Promise<TeamRow> {
  authorize(actor, permission);
  let query = db.selectFrom('teams').select(TEAM_COLUMNS).where('workspace_id', '=', workspaceScope(actor)).where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound('team');
  authorize(actor, permission, teamResource(row.workspace_id));
  return row;
}

/** Members of several teams in one query (no N+1 on the team list). */
export async function membersOfTeams(db: Db, actor: Actor, teamIds: string[]) {
  authorize(actor, 'agent.read');
  if (teamIds.length === 0) return [];
  return db
    .selectFrom('team_members as m')
    .innerJoin('agents as a', 'a.id', 'm.agent_id')
    .select(['m.team_id', 'a.id', 'a.name', 'a.email', 'a.role', 'a.status', 'a.presence'])
    .where('m.workspace_id', '=', workspaceScope(actor))
    .where('m.team_id', 'in', teamIds)
    .orderBy('a.name')
    .orderBy('a.id')
    .execute();
}

export async function queuesOfTeams(db: Db, actor: Actor, teamIds: string[]): Promise<QueueRow[]> {
  authorize(actor, 'agent.read');
  if (teamIds.length === 0) return [];
  return db
    .selectFrom('queues')
    .select(QUEUE_COLUMNS)
    .where('workspace_id', '=', workspaceScope(actor))
    .where('team_id', 'in', teamIds)
    .orderBy('name')
    .orderBy('id')
    .execute();
}

export async function insertTeam(tx: Db, actor: Actor, team: { name: string; description: string; autoAssign: boolean }): Promise<TeamRow> {
  authorize(actor, 'team.manage');
  return tx
    .insertInto('teams')
    .values({ workspace_id: workspaceScope(actor), name: team.name, description: team.description, auto_assign: team.autoAssign })
    .returning(TEAM_COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function updateTeamRow(tx: Db, actor: Actor, id: string, changes: Updateable<TeamsTable>): Promise<TeamRow> {
  authorize(actor, 'team.manage');
  const row = await tx
    .updateTable('teams')
    .set({ ...changes, updated_at: new Date() })
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', '=', id)
    .returning(TEAM_COLUMNS)
    .executeTakeFirst();
  if (!row) throw notFound('team');
  return row;
}

export async function deleteTeamRow(tx: Db, actor: Actor, id: string): Promise<void> {
  authorize(actor, 'team.manage');
  const row = await tx
    .deleteFrom('teams')
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', '=', id)
    .returning('id')
    .executeTakeFirst();
  if (!row) throw notFound('team');
}

export async function teamNameTaken(db: Db, actor: Actor, name: string, exceptTeamId?: string): Promise<boolean> {
  let query = db
    .selectFrom('teams')
    .select('id')
    .where('workspace_id', '=', workspaceScope(actor))
    .where(sql<boolean>`lower(name) = lower(${name})`);
  if (exceptTeamId) query = query.where('id', '<>', exceptTeamId);
  return (await query.executeTakeFirst()) !== undefined;
}

/** Replaces a team's members; returns the ids added and removed. */
export async function replaceTeamMembers(
  tx: Db,
  actor: Actor,
  teamId: string,
  agentIds: string[],
): Promise<{ added: string[]; removed: string[] }> {
  authorize(actor, 'team.manage');
  const workspaceId = workspaceScope(actor);
  const current = await tx
    .selectFrom('team_members')
    .select('agent_id')
    .where('workspace_id', '=', workspaceId)
    .where('team_id', '=', teamId)
    .execute();
  const before = new Set(current.map((r) => r.agent_id));
  const after = new Set(agentIds);
  const removed = [...before].filter((id) => !after.has(id));
  const added = [...after].filter((id) => !before.has(id));
  if (removed.length > 0) {
    await tx
      .deleteFrom('team_members')
      .where('workspace_id', '=', workspaceId)
      .where('team_id', '=', teamId)
      .where('agent_id', 'in', removed)
      .execute();
  }
  if (added.length > 0) {
    await tx
      .insertInto('team_members')
      .values(added.map((agentId) => ({ team_id: teamId, agent_id: agentId, workspace_id: workspaceId })))
      .execute();
  }
  return { added, removed };
}

export async function listQueueRows(
  db: Db,
  actor: Actor,
  page: { teamId?: string; limit: number; after?: [string, string] },
): Promise<QueueRow[]> {
  authorize(actor, 'agent.read');
  let query = db.selectFrom('queues').select(QUEUE_COLUMNS).where('workspace_id', '=', workspaceScope(actor));
  if (page.teamId) query = query.where('team_id', '=', page.teamId);
  if (page.after) {
    const [name, id] = page.after;
    query = query.where((eb) => eb.or([eb('name', '>', name), eb.and([eb('name', '=', name), eb('id', '>', id)])]));
  }
  return query
    .orderBy('name')
    .orderBy('id')
    .limit(page.limit + 1)
    .execute();
}

export async function getQueueRow(db: Db, actor: Actor, id: string, permission: Permission): Promise<QueueRow> {
  authorize(actor, permission);
  const row = await db
    .selectFrom('queues')
    .select(QUEUE_COLUMNS)
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('queue');
  authorize(actor, permission, queueResource(row.workspace_id));
  return row;
}

export async function insertQueue(tx: Db, actor: Actor, queue: { teamId: string; name: string; categories: string[] }): Promise<QueueRow> {
  authorize(actor, 'team.manage');
  return tx
    .insertInto('queues')
    .values({ workspace_id: workspaceScope(actor), team_id: queue.teamId, name: queue.name, categories: queue.categories })
    .returning(QUEUE_COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function updateQueueRow(tx: Db, actor: Actor, id: string, changes: Updateable<QueuesTable>): Promise<QueueRow> {
  authorize(actor, 'team.manage');
  const row = await tx
    .updateTable('queues')
    .set(changes)
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', '=', id)
    .returning(QUEUE_COLUMNS)
    .executeTakeFirst();
  if (!row) throw notFound('queue');
  return row;
}

export async function deleteQueueRow(tx: Db, actor: Actor, id: string): Promise<void> {
  authorize(actor, 'team.manage');
  const row = await tx
    .deleteFrom('queues')
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', '=', id)
    .returning('id')
    .executeTakeFirst();
  if (!row) throw notFound('queue');
}

export async function queueNameTaken(db: Db, actor: Actor, teamId: string, name: string, exceptQueueId?: string): Promise<boolean> {
  let query = db
    .selectFrom('queues')
    .select('id')
    .where('workspace_id', '=', workspaceScope(actor))
    .where('team_id', '=', teamId)
    .where(sql<boolean>`lower(name) = lower(${name})`);
  if (exceptQueueId) query = query.where('id', '<>', exceptQueueId);
  return (await query.executeTakeFirst()) !== undefined;
}

/**
 * Serializes changes to queue categories within a workspace (a transaction-scoped advisory lock),
 * so two admins cannot give the same category to two queues at once.
 */
export async function lockQueueCategories(tx: Db, actor: Actor): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('baton.queue_categories'), hashtext(${workspaceScope(actor)}))`.execute(tx);
}

/** Queues of the workspace already claiming any of `categories`. */
export async function queuesClaiming(db: Db, actor: Actor, categories: string[], exceptQueueId?: string): Promise<QueueRow[]> {
  authorize(actor, 'team.manage');
  if (categories.length === 0) return [];
  let query = db
    .selectFrom('queues')
    .select(QUEUE_COLUMNS)
    .where('workspace_id', '=', workspaceScope(actor))
    .where(sql<boolean>`categories && ${categories}::text[]`);
  if (exceptQueueId) query = query.where('id', '<>', exceptQueueId);
  return query.execute();
}

/** The queue serving a category (the oldest when several do), with whether its team auto-assigns. */
export async function queueForCategory(
  db: Db,
  actor: Actor,
  category: string,
): Promise<{ id: string; team_id: string; auto_assign: boolean } | undefined> {
  return db
    .selectFrom('queues as q')
    .innerJoin('teams as t', 't.id', 'q.team_id')
    .select(['q.id', 'q.team_id', 't.auto_assign'])
    .where('q.workspace_id', '=', workspaceScope(actor))
    .where('t.workspace_id', '=', workspaceScope(actor))
    .where(sql<boolean>`${category} = any(q.categories)`)
    .orderBy('q.created_at')
    .orderBy('q.id')
    .limit(1)
    .executeTakeFirst();
}
