import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { AgentActor } from '../../platform/actor.js';
import type { MacroChanges, MacroVisibility } from './schema.js';

/**
 * SQL of the macros module. Every function is confined to the actor's workspace; a macro is
 * visible when it is shared (no owner) or owned by the actor, so another agent's personal macro
 * does not exist for anyone else (404).
 */
export interface MacroRow {
  id: string;
  workspace_id: string;
  owner_agent_id: string | null;
  name: string;
  description: string;
  body: string;
  visibility: MacroVisibility;
  changes: MacroChanges;
  usage_count: number;
  last_used_at: Date | null;
  version: number;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = [
  'id',
  'workspace_id',
  'owner_agent_id',
  'name',
  'description',
  'body',
  'visibility',
  'changes',
  'usage_count',
  'last_used_at',
  'version',
  'created_by',
  'created_at',
  'updated_at',
] as const;

export type MacroScope = 'shared' | 'personal' | 'all';

/** LIKE pattern of a search text, with its wildcards taken literally. */
const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function selectVisibleMacros(
  db: Db,
  actor: AgentActor,
  query: { scope: MacroScope; q?: string | undefined; after?: { name: string; id: string } | undefined; limit: number },
): Promise<MacroRow[]> {
  let select = db.selectFrom('macros').select(COLUMNS).where('workspace_id', '=', actor.workspaceId);
  if (query.scope === 'shared') select = select.where('owner_agent_id', 'is', null);
  else if (query.scope === 'personal') select = select.where('owner_agent_id', '=', actor.agentId);
  else select = select.where((eb) => eb.or([eb('owner_agent_id', 'is', null), eb('owner_agent_id', '=', actor.agentId)]));
  if (query.q) {
    const pattern = likePattern(query.q);
    select = select.where((eb) => eb.or([eb('name', 'ilike', pattern), eb('description', 'ilike', pattern), eb('body', 'ilike', pattern)]));
  }
  if (query.after) {
    const { name, id } = query.after;
    select = select.where(sql<boolean>`(lower(name), id) > (${name}, ${id}::uuid)`);
  }
  const rows = await select
    .orderBy(sql`lower(name)`)
    .orderBy('id')
    .limit(query.limit + 1)
    .execute();
  return rows as MacroRow[];
}

export async function findVisibleMacro(db: Db, actor: AgentActor, id: string, forUpdate = false): Promise<MacroRow | undefined> {
  let query = db
    .selectFrom('macros')
    .select(COLUMNS)
    .where('workspace_id', '=', actor.workspaceId)
    .where('id', '=', id)
    .where((eb) => eb.or([eb('owner_agent_id', 'is', null), eb('owner_agent_id', '=', actor.agentId)]));
  if (forUpdate) query = query.forUpdate();
  return (await query.executeTakeFirst()) as MacroRow | undefined;
}

/** Whether the scope (shared, or this owner's personal macros) already has the name. */
export async function macroNameTaken(
  db: Db,
  actor: AgentActor,
  ownerAgentId: string | null,
  name: string,
  exceptId?: string,
): Promise<boolean> {
  let query = db
    .selectFrom('macros')
    .select('id')
    .where('workspace_id', '=', actor.workspaceId)
    .where('owner_agent_id', ownerAgentId === null ? 'is' : '=', ownerAgentId)
    .where(sql<boolean>`lower(name) = lower(${name})`);
  if (exceptId) query = query.where('id', '!=', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

export interface MacroValues {
  name: string;
  description: string;
  body: string;
  visibility: MacroVisibility;
  changes: MacroChanges;
}

export async function insertMacro(db: Db, actor: AgentActor, ownerAgentId: string | null, values: MacroValues): Promise<MacroRow> {
  const row = await db
    .insertInto('macros')
    .values({
      workspace_id: actor.workspaceId,
      owner_agent_id: ownerAgentId,
      name: values.name,
      description: values.description,
      body: values.body,
      visibility: values.visibility,
      changes: JSON.stringify(values.changes),
      created_by: actor.agentId,
    })
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return row as MacroRow;
}

/** Writes the changes when the row is still at `version`; undefined when someone changed it since. */
export async function updateMacroRow(
  db: Db,
  actor: AgentActor,
  id: string,
  version: number,
  values: Partial<MacroValues> & { owner_agent_id?: string | null },
): Promise<MacroRow | undefined> {
  const row = await db
    .updateTable('macros')
    .set({
      ...(values.name !== undefined ? { name: values.name } : {}),
      ...(values.description !== undefined ? { description: values.description } : {}),
      ...(values.body !== undefined ? { body: values.body } : {}),
      ...(values.visibility !== undefined ? { visibility: values.visibility } : {}),
      ...(values.changes !== undefined ? { changes: JSON.stringify(values.changes) } : {}),
      ...(values.owner_agent_id !== undefined ? { owner_agent_id: values.owner_agent_id } : {}),
      version: sql<number>`version + 1`,
      updated_at: new Date(),
    })
    .where('workspace_id', '=', actor.workspaceId)
    .where('id', '=', id)
    .where('version', '=', version)
    .returning(COLUMNS)
    .executeTakeFirst();
  return row as MacroRow | undefined;
}

export async function deleteMacroRow(db: Db, actor: AgentActor, id: string): Promise<void> {
  await db.deleteFrom('macros').where('workspace_id', '=', actor.workspaceId).where('id', '=', id).execute();
}

/** Usage is a statistic, not an edit: it does not bump the version an editor holds. */
export async function recordMacroUse(db: Db, actor: AgentActor, id: string): Promise<MacroRow> {
  const row = await db
    .updateTable('macros')
    .set({ usage_count: sql<number>`usage_count + 1`, last_used_at: new Date() })
    .where('workspace_id', '=', actor.workspaceId)
    .where('id', '=', id)
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return row as MacroRow;
}
