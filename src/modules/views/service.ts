import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/database.js';
import type { AgentActor } from '../../platform/actor.js';
import { authorize } from '../../platform/authorization.js';
import { notFound, unprocessable, validationError } from '../../platform/errors.js';
import { formatCaseFilters, isUuid, parseCaseFilters, type CaseFilterParams, type CaseSort, CASE_SORTS } from '../cases/listing-filters.js';
import { countCases, listCases, type CaseListPage } from '../cases/listing.js';
import { allOpen, BUILT_IN_KEY, myOpen, queueView, recentlySolved, teamView, unassigned, type BuiltInView } from './built-in.js';
import * as store from './store.js';

/**
 * Inbox views: the built-in ones every agent has, and saved views, personal (owner = the agent)
 * or shared with the workspace (no owner; only supervisors and admins write those). Another
 * agent's personal view does not exist for you (404).
 */
export interface InboxView {
  id: string;
  kind: 'builtin' | 'saved';
  name: string;
  filters: CaseFilterParams;
  sort: CaseSort;
  count: number;
  /** Saved views only. */
  shared?: boolean;
  owner_agent_id?: string | null;
  position?: number;
  created_at?: Date;
  updated_at?: Date;
}

export const MAX_PERSONAL_VIEWS = 50;
export const MAX_SHARED_VIEWS = 100;

const toSort = (value: string): CaseSort => ((CASE_SORTS as readonly string[]).includes(value) ? (value as CaseSort) : 'updated_desc');

function savedView(row: store.SavedViewRow, count: number): InboxView {
  return {
    id: row.id,
    kind: 'saved',
    name: row.name,
    filters: row.filters,
    sort: toSort(row.sort),
    count,
    shared: row.owner_agent_id === null,
    owner_agent_id: row.owner_agent_id,
    position: row.position,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/**
 * Stored filters were validated when saved; parsing again keeps one path from JSON to SQL.
 * Lists written as JSON arrays (by hand or by an import) read as the comma form the API uses.
 */
function filtersOf(params: CaseFilterParams) {
  const normalized = Object.fromEntries(
    Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]),
  ) as CaseFilterParams;
  return parseCaseFilters(normalized, 'body', 'filters.');
}

/** Every view of the agent's inbox with its case count; all counts come from one query. */
export async function listViews(db: Db, actor: AgentActor, now = new Date()): Promise<InboxView[]> {
  authorize(actor, 'view.read');
  // Agents see their own teams' inboxes; supervisors and admins oversee every team.
  const [teams, saved] = await Promise.all([
    store.listInboxTeams(db, actor, actor.role !== 'agent'),
    store.listVisibleSavedViews(db, actor),
  ]);
  const builtIns: BuiltInView[] = [
    myOpen(),
    unassigned(),
    allOpen(),
    ...teams.flatMap((team) => [teamView(team), ...team.queues.map((q) => queueView({ ...q, team_name: team.name }))]),
    recentlySolved(now),
  ];
  const counts = await countCases(db, actor, [...builtIns.map((v) => filtersOf(v.filters)), ...saved.map((v) => filtersOf(v.filters))]);
  return [
    ...builtIns.map((v, i): InboxView => ({ ...v, kind: 'builtin', count: counts[i] ?? 0 })),
    ...saved.map((row, i) => savedView(row, counts[builtIns.length + i] ?? 0)),
  ];
}

/** The definition behind a view id (built-in key or saved view uuid), or 404. */
async function resolveView(db: Db, actor: AgentActor, id: string, now: Date): Promise<{ filters: CaseFilterParams; sort: CaseSort }> {
  if (BUILT_IN_KEY.test(id)) {
    const [kind, ref] = id.toLowerCase().split(':') as [string, string | undefined];
    switch (kind) {
      case 'my_open':
        return myOpen();
      case 'unassigned':
        return unassigned();
      case 'all_open':
        return allOpen();
      case 'recently_solved':
        return recentlySolved(now);
      case 'team': {
        const team = await store.findTeam(db, actor, ref!);
        if (team) return teamView(team);
        break;
      }
      case 'queue': {
        const queue = await store.findQueue(db, actor, ref!);
        if (queue) return queueView(queue);
        break;
      }
    }
    throw notFound('view');
  }
  if (!isUuid(id)) throw notFound('view');
  const row = await store.findVisibleSavedView(db, actor, id);
  if (!row) throw notFound('view');
  return { filters: row.filters, sort: toSort(row.sort) };
}

export async function listViewCases(
  db: Db,
  actor: AgentActor,
  id: string,
  page: { sort?: CaseSort | undefined; limit?: number; cursor?: string | undefined },
  now = new Date(),
): Promise<CaseListPage> {
  authorize(actor, 'view.read');
  const view = await resolveView(db, actor, id, now);
  return listCases(db, actor, {
    filters: filtersOf(view.filters),
    sort: page.sort ?? view.sort,
    limit: page.limit ?? 25,
    cursor: page.cursor,
  });
}

export interface SavedViewInput {
  name: string;
  filters: CaseFilterParams;
  sort?: CaseSort | undefined;
  shared?: boolean | undefined;
  position?: number | undefined;
}

function cleanName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 100) {
    throw validationError('validation_failed', 'The request body is not valid', {
      part: 'body',
      fields: [{ field: 'name', problem: 'must be 1-100 characters' }],
    });
  }
  return trimmed;
}

async function ensureRoom(tx: Db, actor: AgentActor, shared: boolean): Promise<void> {
  const max = shared ? MAX_SHARED_VIEWS : MAX_PERSONAL_VIEWS;
  if ((await store.countSavedViews(tx, actor, shared ? 'shared' : 'mine')) >= max) {
    throw unprocessable(
      'view.limit_reached',
      shared ? `A workspace keeps at most ${max} shared views` : `You can keep at most ${max} personal views`,
      { max },
    );
  }
}

async function withCount(tx: Db, actor: AgentActor, row: store.SavedViewRow): Promise<InboxView> {
  const [count] = await countCases(tx, actor, [filtersOf(row.filters)]);
  return savedView(row, count ?? 0);
}

/** Saves a view; `tx` is the caller's transaction (the route runs it under an Idempotency-Key). */
export async function createSavedView(tx: Db, actor: AgentActor, input: SavedViewInput): Promise<InboxView> {
  const shared = input.shared ?? false;
  authorize(actor, shared ? 'view.write_shared' : 'view.write_own');
  const name = cleanName(input.name);
  const filters = formatCaseFilters(filtersOf(input.filters));
  await ensureRoom(tx, actor, shared);
  const row = await store.insertSavedView(tx, actor, {
    name,
    filters,
    sort: input.sort ?? 'updated_desc',
    shared,
    position: input.position ?? 0,
  });
  return withCount(tx, actor, row);
}

function refuseBuiltIn(id: string): void {
  if (BUILT_IN_KEY.test(id)) throw unprocessable('view.built_in', 'Built-in views cannot be changed; save a view of your own instead');
  if (!isUuid(id)) throw notFound('view');
}

export async function updateSavedView(db: Db, actor: AgentActor, id: string, changes: Partial<SavedViewInput>): Promise<InboxView> {
  refuseBuiltIn(id);
  return inTransaction(db, async (tx) => {
    const view = await store.findVisibleSavedView(tx, actor, id, true);
    if (!view) throw notFound('view');
    const isShared = view.owner_agent_id === null;
    authorize(actor, isShared ? 'view.write_shared' : 'view.write_own', { workspaceId: view.workspace_id, type: 'view' });
    let owner: string | null | undefined;
    if (changes.shared !== undefined && changes.shared !== isShared) {
      // Publishing a personal view, or taking a shared one away from everyone, is a shared-view write.
      authorize(actor, 'view.write_shared', { workspaceId: view.workspace_id, type: 'view' });
      await ensureRoom(tx, actor, changes.shared);
      owner = changes.shared ? null : actor.agentId;
    }
    const row = await store.updateSavedView(tx, actor, id, {
      ...(changes.name !== undefined ? { name: cleanName(changes.name) } : {}),
      ...(changes.filters !== undefined ? { filters: formatCaseFilters(filtersOf(changes.filters)) } : {}),
      ...(changes.sort !== undefined ? { sort: changes.sort } : {}),
      ...(changes.position !== undefined ? { position: changes.position } : {}),
      ...(owner !== undefined ? { owner_agent_id: owner } : {}),
    });
    return withCount(tx, actor, row);
  });
}

export async function deleteSavedView(db: Db, actor: AgentActor, id: string): Promise<void> {
  refuseBuiltIn(id);
  await inTransaction(db, async (tx) => {
    const view = await store.findVisibleSavedView(tx, actor, id, true);
    if (!view) throw notFound('view');
    authorize(actor, view.owner_agent_id === null ? 'view.write_shared' : 'view.write_own', {
      workspaceId: view.workspace_id,
      type: 'view',
    });
    await store.deleteSavedView(tx, actor, id);
  });
}
