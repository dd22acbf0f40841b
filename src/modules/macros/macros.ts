import { inTransaction, type Db } from '../../db/database.js';
import { decodeCursor, pageOf } from '../../http/pagination.js';
import type { AgentActor } from '../../platform/actor.js';
import { authorize, type Resource } from '../../platform/authorization.js';
import { AppError, conflict, notFound, unprocessable, validationError } from '../../platform/errors.js';
import { getAgentsByIds, getTeam } from '../agents/service.js';
import { unknownCasePlaceholders } from './placeholders.js';
import type { MacroChanges, MacroVisibility } from './schema.js';
import * as store from './store.js';
import { macroView, type MacroView } from './views.js';

/**
 * Macros: personal (owner = the agent, invisible to everyone else) or shared with the workspace
 * (no owner; supervisors and admins write those, everyone reads and applies them).
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string) => UUID.test(value);

const macroResource = (actor: AgentActor): Resource => ({ workspaceId: actor.workspaceId, type: 'macro' });

/** Personal macros need only `macro.read` (every agent); shared ones `macro.manage_shared`. */
function authorizeWrite(actor: AgentActor, shared: boolean): void {
  authorize(actor, shared ? 'macro.manage_shared' : 'macro.read', macroResource(actor));
}

export interface MacroInput {
  name: string;
  description?: string | undefined;
  body?: string | undefined;
  visibility?: MacroVisibility | undefined;
  changes?: MacroChanges | undefined;
  shared?: boolean | undefined;
}

export interface MacroListQuery {
  q?: string | undefined;
  scope?: store.MacroScope | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

const invalidBody = (field: string, problem: string) =>
  validationError('validation_failed', 'The request body is not valid', { part: 'body', fields: [{ field, problem }] });

function cleanName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 100) throw invalidBody('name', 'must be 1-100 characters');
  return trimmed;
}

function checkTemplate(body: string): string {
  const unknown = unknownCasePlaceholders(body);
  if (unknown.length > 0) {
    throw invalidBody('body', `unknown placeholder${unknown.length > 1 ? 's' : ''}: ${unknown.map((n) => `{{${n}}}`).join(', ')}`);
  }
  return body.replace(/\r\n?/g, '\n');
}

const cleanTags = (tags: readonly string[] | undefined) =>
  tags === undefined ? undefined : [...new Set(tags.map((t) => t.trim().toLowerCase()).filter((t) => t.length > 0))];

/** Checks the team, queue and agent a macro points at exist in the workspace (422 otherwise). */
async function checkChanges(db: Db, actor: AgentActor, changes: MacroChanges): Promise<MacroChanges> {
  const clean: MacroChanges = { ...changes };
  const addTags = cleanTags(changes.add_tags);
  const removeTags = cleanTags(changes.remove_tags);
  if (addTags) clean.add_tags = addTags;
  if (removeTags) clean.remove_tags = removeTags;
  if (addTags && removeTags && addTags.some((t) => removeTags.includes(t))) {
    throw invalidBody('changes.remove_tags', 'a tag cannot be both added and removed');
  }
  if (changes.team_id) {
    const team = await optionalTeam(db, actor, changes.team_id);
    if (!team)
      throw unprocessable('macro.unknown_team', 'This team does not exist in the workspace', {
        field: 'changes.team_id',
        team_id: changes.team_id,
      });
    if (changes.queue_id && !team.queues.some((q) => q.id === changes.queue_id)) {
      throw unprocessable('macro.unknown_queue', 'This queue does not belong to the team', {
        field: 'changes.queue_id',
        queue_id: changes.queue_id,
      });
    }
  } else if (changes.queue_id) {
    // A queue is only meaningful with its team; naming both keeps the macro explicit.
    throw unprocessable('macro.queue_needs_team', 'Name the team of the queue as well', { field: 'changes.queue_id' });
  }
  if (changes.assignee !== undefined && changes.assignee !== null && changes.assignee !== 'me') {
    const agents = isUuid(changes.assignee) ? await getAgentsByIds(db, actor, [changes.assignee]) : new Map();
    if (!agents.has(changes.assignee)) {
      throw unprocessable('macro.unknown_agent', 'This agent does not exist in the workspace', {
        field: 'changes.assignee',
        agent_id: changes.assignee,
      });
    }
  }
  return clean;
}

async function optionalTeam(db: Db, actor: AgentActor, teamId: string) {
  try {
    return await getTeam(db, actor, teamId);
  } catch (error) {
    if (error instanceof AppError && error.kind === 'not_found') return undefined;
    throw error;
  }
}

async function assertNameFree(db: Db, actor: AgentActor, owner: string | null, name: string, exceptId?: string): Promise<void> {
  if (await store.macroNameTaken(db, actor, owner, name, exceptId)) {
    throw conflict(
      'macro.name_taken',
      owner === null ? 'A shared macro with this name exists' : 'You already have a macro with this name',
      {
        field: 'name',
      },
    );
  }
}

/** Shared macros and the agent's own, by name; `q` searches name, description and reply text. */
export async function listMacros(
  db: Db,
  actor: AgentActor,
  query: MacroListQuery,
): Promise<{ data: MacroView[]; next_cursor: string | null }> {
  authorize(actor, 'macro.read', macroResource(actor));
  const limit = query.limit ?? 25;
  const after = decodeCursor(query.cursor, ['string', 'string']);
  if (after && !isUuid(String(after[1])))
    throw validationError('pagination.invalid_cursor', 'The cursor is not valid for this list; start again without it', {
      field: 'cursor',
    });
  const rows = await store.selectVisibleMacros(db, actor, {
    scope: query.scope ?? 'all',
    q: query.q?.trim() || undefined,
    after: after ? { name: String(after[0]), id: String(after[1]) } : undefined,
    limit,
  });
  const page = pageOf(rows, limit, (r) => [r.name.toLowerCase(), r.id]);
  return { data: page.data.map(macroView), next_cursor: page.next_cursor };
}

/** A macro the agent may see (shared or their own); 404 `macro.not_found` otherwise. */
export async function loadVisibleMacro(db: Db, actor: AgentActor, id: string, forUpdate = false): Promise<store.MacroRow> {
  authorize(actor, 'macro.read', macroResource(actor));
  const row = isUuid(id) ? await store.findVisibleMacro(db, actor, id, forUpdate) : undefined;
  if (!row) throw notFound('macro');
  return row;
}

export async function getMacro(db: Db, actor: AgentActor, id: string): Promise<MacroView> {
  return macroView(await loadVisibleMacro(db, actor, id));
}

/** Creates a macro in the caller's transaction (the route runs it under an Idempotency-Key). */
export async function createMacro(tx: Db, actor: AgentActor, input: MacroInput): Promise<MacroView> {
  const shared = input.shared ?? false;
  authorizeWrite(actor, shared);
  const owner = shared ? null : actor.agentId;
  const name = cleanName(input.name);
  const body = checkTemplate(input.body ?? '');
  const changes = await checkChanges(tx, actor, input.changes ?? {});
  await assertNameFree(tx, actor, owner, name);
  const row = await store.insertMacro(tx, actor, owner, {
    name,
    description: (input.description ?? '').trim(),
    body,
    visibility: input.visibility ?? 'public',
    changes,
  });
  return macroView(row);
}

const staleMacro = (current: number) =>
  conflict('macro.stale_version', 'Someone changed this macro since you loaded it; reload and try again', { current_version: current });

export async function updateMacro(
  db: Db,
  actor: AgentActor,
  id: string,
  input: Partial<MacroInput> & { version: number },
): Promise<MacroView> {
  return inTransaction(db, async (tx) => {
    const row = await loadVisibleMacro(tx, actor, id, true);
    const isShared = row.owner_agent_id === null;
    authorizeWrite(actor, isShared);
    if (row.version !== input.version) throw staleMacro(row.version);
    let owner = row.owner_agent_id;
    if (input.shared !== undefined && input.shared !== isShared) {
      // Publishing a personal macro, or taking a shared one away from everyone, is a shared write.
      authorizeWrite(actor, true);
      owner = input.shared ? null : actor.agentId;
    }
    const name = input.name !== undefined ? cleanName(input.name) : row.name;
    if (name.toLowerCase() !== row.name.toLowerCase() || owner !== row.owner_agent_id) await assertNameFree(tx, actor, owner, name, row.id);
    const updated = await store.updateMacroRow(tx, actor, row.id, input.version, {
      ...(input.name !== undefined ? { name } : {}),
      ...(input.description !== undefined ? { description: input.description.trim() } : {}),
      ...(input.body !== undefined ? { body: checkTemplate(input.body) } : {}),
      ...(input.visibility !== undefined ? { visibility: input.visibility } : {}),
      ...(input.changes !== undefined ? { changes: await checkChanges(tx, actor, input.changes) } : {}),
      ...(owner !== row.owner_agent_id ? { owner_agent_id: owner } : {}),
    });
    if (!updated) throw staleMacro(row.version);
    return macroView(updated);
  });
}

export async function deleteMacro(db: Db, actor: AgentActor, id: string): Promise<void> {
  await inTransaction(db, async (tx) => {
    const row = await loadVisibleMacro(tx, actor, id, true);
    authorizeWrite(actor, row.owner_agent_id === null);
    await store.deleteMacroRow(tx, actor, row.id);
  });
}
