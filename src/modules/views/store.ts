import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { AgentActor } from '../../platform/actor.js';
import type { CaseFilterParams } from '../cases/listing-filters.js';

/**
 * SQL of the views module: saved views (the saved_views table), plus the read-only lookups of
 * teams and queues the built-in views are made of. Every function is confined to the actor's
 * workspace; a saved view is visible when it is shared (no owner) or owned by the actor.
 */
export interface SavedViewRow {
  id: string;
  workspace_id: string;
  owner_agent_id: string | null;
  name: string;
  filters: CaseFilterParams;
  sort: string;
  position: number;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = ['id', 'workspace_id', 'owner_agent_id', 'name', 'filters', 'sort', 'position', 'created_at', 'updated_at'] as const;

export async function listVisibleSavedViews(db: Db, actor: AgentActor): Promise<SavedViewRow[]> {
  const rows = await db
    .selectFrom('saved_views')
    .select(COLUMNS)
    .where('workspace_id', '=', actor.workspaceId)
    .where((eb) => eb.or([eb('owner_agent_id', 'is', null), eb('owner_agent_id', '=', actor.agentId)]))
    // Shared views first, then the agent's own, each in their chosen order.
    .orderBy(sql`owner_agent_id is not null`)
    .orderBy('position')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows as SavedViewRow[];
}

/** A saved view the actor may see, or undefined (another agent's personal view is not visible). */
export async function findVisibleSavedView(db: Db, actor: AgentActor, id: string, forUpdate = false): Promise<SavedViewRow | undefined> {
  let query = db
    .selectFrom('saved_views')
    .select(COLUMNS)
    .where('workspace_id', '=', actor.workspaceId)
    .where('id', '=', id)
    .where((eb) => eb.or([eb('owner_agent_id', 'is', null), eb('owner_agent_id', '=', actor.agentId)]));
  if (forUpdate) query = query.forUpdate();
  return (await query.executeTakeFirst()) as SavedViewRow | undefined;
}

export async function countSavedViews(db: Db, actor: AgentActor, owner: 'shared' | 'mine'): Promise<number> {
  const row = await db
    .selectFrom('saved_views')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', actor.workspaceId)
    .where('owner_agent_id', owner === 'shared' ? 'is' : '=', owner === 'shared' ? null : actor.agentId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertSavedView(
  db: Db,
  actor: AgentActor,
  view: { name: string; filters: CaseFilterParams; sort: string; shared: boolean; position: number },
): Promise<SavedViewRow> {
  const row = await db
    .insertInto('saved_views')
    .values({
      workspace_id: actor.workspaceId,
      owner_agent_id: view.shared ? null : actor.agentId,
      name: view.name,
      filters: JSON.stringify(view.filters),
      sort: view.sort,
      position: view.position,
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return row as SavedViewRow;
}

export async function updateSavedView(
  db: Db,
  actor: AgentActor,
  id: string,
  changes: { name?: string; filters?: CaseFilterParams; sort?: string; owner_agent_id?: string | null; position?: number },
): Promise<SavedViewRow> {
  const row = await db
    .updateTable('saved_views')
    .set({
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.filters !== undefined ? { filters: JSON.stringify(changes.filters) } : {}),
      ...(changes.sort !== undefined ? { sort: changes.sort } : {}),
      ...(changes.owner_agent_id !== undefined ? { owner_agent_id: changes.owner_agent_id } : {}),
      ...(changes.position !== undefined ? { position: changes.position } : {}),
      updated_at: new Date(),
    })
    .where('workspace_id', '=', actor.workspaceId)
    .where('id', '=', id)
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return row as SavedViewRow;
}

export async function deleteSavedView(db: Db, actor: AgentActor, id: string): Promise<void> {
  await db.deleteFrom('saved_views').where('workspace_id', '=', actor.workspaceId).where('id', '=', id).execute();
}

// --- teams and queues (read-only) -----------------------------------------------------------
// The agents module owns these tables; the inbox only needs names and ids, read in one query
// per page load rather than one call per team.

export interface InboxTeam {
  id: string;
  name: string;
  queues: { id: string; name: string }[];
}

/** The teams (with their queues) shown in an agent's inbox: their own teams, or all for `allTeams`. */
export async function listInboxTeams(db: Db, actor: AgentActor, allTeams: boolean): Promise<InboxTeam[]> {
  const rows = await sql<{ team_id: string; team_name: string; queue_id: string | null; queue_name: string | null }>`
    select t.id as team_id, t.name as team_name, q.id as queue_id, q.name as queue_name
    from teams t
    left join queues q on q.team_id = t.id and q.workspace_id = t.workspace_id
    where t.workspace_id = ${actor.workspaceId}
      and (${allTeams} or exists (select 1 from team_members tm where tm.team_id = t.id and tm.agent_id = ${actor.agentId}))
    order by lower(t.name), t.id, lower(q.name), q.id`.execute(db);
  const teams = new Map<string, InboxTeam>();
  for (const r of rows.rows) {
    let team = teams.get(r.team_id);
    if (!team) teams.set(r.team_id, (team = { id: r.team_id, name: r.team_name, queues: [] }));
    if (r.queue_id && r.queue_name !== null) team.queues.push({ id: r.queue_id, name: r.queue_name });
  }
  return [...teams.values()];
}

export async function findTeam(db: Db, actor: AgentActor, id: string): Promise<{ id: string; name: string } | undefined> {
  return db
    .selectFrom('teams')
    .select(['id', 'name'])
    .where('workspace_id', '=', actor.workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findQueue(
  db: Db,
  actor: AgentActor,
  id: string,
): Promise<{ id: string; name: string; team_name: string } | undefined> {
  return db
    .selectFrom('queues as q')
    .innerJoin('teams as t', 't.id', 'q.team_id')
    .select(['q.id', 'q.name', 't.name as team_name'])
    .where('q.workspace_id', '=', actor.workspaceId)
    .where('q.id', '=', id)
    .executeTakeFirst();
}
