import { sql, type Selectable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { authorize, workspaceScope, type Permission } from '../../platform/authorization.js';
import { notFound } from '../../platform/errors.js';
import type { CasesTable } from './schema.js';
import { forgetSharedReads } from '../../platform/batch-reads.js';

/** SQL for case rows, their numbers and followers. Every read is confined to the actor's workspace. */

/**
 * Key prefix of the case views shared within a relay batch (get-case.ts); every write below to a
 * case or its followers forgets them, and only them.
 */
export const SHARED_CASE_READS = 'case:';

export type CaseRow = Omit<Selectable<CasesTable>, 'search_vector'>;

export const CASE_COLUMNS = [
  'id',
  'workspace_id',
  'number',
  'subject',
  'status',
  'priority',
  'category',
  'type',
  'due_at',
  'channel',
  'customer_id',
  'team_id',
  'queue_id',
  'assignee_id',
  'tags',
  'merged_into_id',
  'version',
  'created_at',
  'updated_at',
  'last_message_at',
  'last_customer_message_at',
  'first_agent_reply_at',
  'solved_at',
  'closed_at',
] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => UUID.test(value);

/** Reading a case: agents need case.read, a status-link holder status_link.read on their own case. */
export const readPermission = (actor: Actor): Permission => (actor.kind === 'customer' ? 'status_link.read' : 'case.read');

/**
 * Loads a case of the actor's workspace and authorizes `permission` on it; anything not visible
 * (other workspace, another customer's case, malformed id) is `case.not_found`.
 */
export async function loadCase(
  db: Db,
  actor: Actor,
  caseId: string,
  permission: Permission,
  options: { forUpdate?: boolean } = {},
): Promise<CaseRow> {
  const row = isUuid(caseId) ? await selectCase(db, actor, caseId, options.forUpdate ?? false) : undefined;
  return authorizedCase(actor, permission, row);
}

/** A case row read for `actor` (undefined: none in its workspace), or the error loadCase throws. */
export function authorizedCase(actor: Actor, permission: Permission, row: CaseRow | undefined): CaseRow {
  if (!row) {
    // Still decide by role first, so a forbidden role learns nothing about which cases exist.
    authorize(actor, permission, { workspaceId: workspaceScope(actor), type: 'case' });
    throw notFound('case');
  }
  authorize(actor, permission, { workspaceId: row.workspace_id, type: 'case', caseId: row.id, customerId: row.customer_id });
  return row;
}

async function selectCase(db: Db, actor: Actor, caseId: string, forUpdate: boolean): Promise<CaseRow | undefined> {
  let query = db.selectFrom('cases').select(CASE_COLUMNS).where('workspace_id', '=', workspaceScope(actor)).where('id', '=', caseId);
  if (forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function findCaseIdByNumber(db: Db, actor: Actor, number: number): Promise<string | undefined> {
  const row = await db
    .selectFrom('cases')
    .select('id')
    .where('workspace_id', '=', workspaceScope(actor))
    .where('number', '=', number)
    .executeTakeFirst();
  return row?.id;
}

/** Locks several cases in id order (a fixed order, so two merges cannot deadlock). */
export async function lockCases(tx: Db, actor: Actor, caseIds: string[]): Promise<CaseRow[]> {
  const ids = caseIds.filter(isUuid);
  if (ids.length === 0) return [];
  return tx
    .selectFrom('cases')
    .select(CASE_COLUMNS)
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', 'in', ids)
    .orderBy('id')
    .forUpdate()
    .execute();
}

export interface NewCaseRow {
  workspace_id: string;
  number: number;
  subject: string;
  status: CaseRow['status'];
  priority: CaseRow['priority'];
  category: CaseRow['category'];
  type?: CaseRow['type'];
  due_at?: Date | null;
  channel: CaseRow['channel'];
  customer_id: string;
  team_id: string | null;
  queue_id: string | null;
  assignee_id: string | null;
  tags: string[];
  last_message_at?: Date;
  last_customer_message_at?: 'now' | Date | null;
  first_agent_reply_at?: 'now' | Date | null;
}

const nowOr = <T>(value: 'now' | T) => (value === 'now' ? sql<Date>`now()` : value);

export async function insertCase(tx: Db, values: NewCaseRow): Promise<CaseRow> {
  const { last_customer_message_at, first_agent_reply_at, ...rest } = values;
  const row = await tx
    .insertInto('cases')
    .values({
      ...rest,
      ...(last_customer_message_at !== undefined ? { last_customer_message_at: nowOr(last_customer_message_at) } : {}),
      ...(first_agent_reply_at !== undefined ? { first_agent_reply_at: nowOr(first_agent_reply_at) } : {}),
    })
    .returning(CASE_COLUMNS)
    .executeTakeFirstOrThrow();
  forgetSharedReads(tx, SHARED_CASE_READS);
  return row;
}

/** Column changes of one case update; timestamps given as 'now' take the transaction's clock. */
export type CaseChanges = Partial<{
  subject: string;
  status: CaseRow['status'];
  priority: CaseRow['priority'];
  category: CaseRow['category'];
  type: CaseRow['type'];
  due_at: Date | null;
  team_id: string | null;
  queue_id: string | null;
  assignee_id: string | null;
  tags: string[];
  merged_into_id: string;
  last_message_at: 'now' | Date;
  last_customer_message_at: 'now' | Date | null;
  first_agent_reply_at: 'now' | Date | null;
  solved_at: 'now' | null;
  closed_at: 'now';
}>;

/**
 * Applies changes and bumps the version. With `expectedVersion`, the row changes only if nobody
 * changed it since it was read (optimistic concurrency); undefined is returned otherwise.
 */
export async function updateCaseRow(
  tx: Db,
  actor: Actor,
  caseId: string,
  changes: CaseChanges,
  expectedVersion?: number,
): Promise<CaseRow | undefined> {
  const set: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    set[column] = nowOr(value);
  }
  let query = tx
    .updateTable('cases')
    .set((eb) => ({ ...set, version: eb('version', '+', 1), updated_at: sql<Date>`now()` }))
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', '=', caseId);
  if (expectedVersion !== undefined) query = query.where('version', '=', expectedVersion);
  const row = await query.returning(CASE_COLUMNS).executeTakeFirst();
  forgetSharedReads(tx, SHARED_CASE_READS);
  return row;
}

/**
 * The clocks of cases that each just got a customer's message and keep their status, in one
 * statement (the lines written together by addCustomerMessagesTogether). Returns the updated rows.
 */
export async function touchCasesForCustomerMessages(tx: Db, workspaceId: string, caseIds: string[]): Promise<CaseRow[]> {
  if (caseIds.length === 0) return [];
  const rows = await tx
    .updateTable('cases')
    .set((eb) => ({
      last_message_at: sql<Date>`now()`,
      last_customer_message_at: sql<Date>`now()`,
      version: eb('version', '+', 1),
      updated_at: sql<Date>`now()`,
    }))
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', caseIds)
    .returning(CASE_COLUMNS)
    .execute();
  forgetSharedReads(tx, SHARED_CASE_READS);
  return rows;
}

/**
 * Re-derives a case's message clocks from the messages it now holds (after messages moved in or
 * out). The first agent reply is historical and only derived for a case made from moved messages.
 */
export async function refreshMessageTimes(tx: Db, actor: Actor, caseId: string, options: { firstAgentReply: boolean }): Promise<void> {
  const workspaceId = workspaceScope(actor);
  await sql`
    update cases c set
      last_message_at = coalesce(m.last_message_at, c.last_message_at),
      last_customer_message_at = m.last_customer_message_at,
      first_agent_reply_at = case when ${options.firstAgentReply} then m.first_agent_reply_at else c.first_agent_reply_at end
    from (
      select max(created_at) as last_message_at,
        max(created_at) filter (where author_type = 'customer') as last_customer_message_at,
        min(created_at) filter (where author_type = 'agent' and visibility = 'public') as first_agent_reply_at
      from messages where workspace_id = ${workspaceId} and case_id = ${caseId}
    ) m
    where c.workspace_id = ${workspaceId} and c.id = ${caseId}`.execute(tx);
  forgetSharedReads(tx, SHARED_CASE_READS);
}

export async function currentVersion(db: Db, actor: Actor, caseId: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('cases')
    .select('version')
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', '=', caseId)
    .executeTakeFirst();
  return row?.version;
}

/** The customer's most recently updated case of a category still being worked on, within the window. */
export async function findContinuableCase(
  tx: Db,
  actor: Actor,
  customerId: string,
  category: CaseRow['category'],
  windowDays: number,
): Promise<CaseRow | undefined> {
  return tx
    .selectFrom('cases')
    .select(CASE_COLUMNS)
    .where('workspace_id', '=', workspaceScope(actor))
    .where('customer_id', '=', customerId)
    .where('category', '=', category)
    .where('status', 'in', ['new', 'open', 'pending', 'on_hold'])
    .where('merged_into_id', 'is', null)
    .where('updated_at', '>=', sql<Date>`now() - make_interval(days => ${windowDays})`)
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
}

/** The customer's most recently updated open case tagged `tag` in one of `categories`, within the window. */
export async function findContinuableTaggedCase(
  tx: Db,
  actor: Actor,
  customerId: string,
  categories: readonly CaseRow['category'][],
  tag: string,
  windowDays: number,
): Promise<CaseRow | undefined> {
  return tx
    .selectFrom('cases')
    .select(CASE_COLUMNS)
    .where('workspace_id', '=', workspaceScope(actor))
    .where('customer_id', '=', customerId)
    .where('category', 'in', [...categories])
    .where(sql<boolean>`${tag} = any(tags)`)
    .where('status', 'in', ['new', 'open', 'pending', 'on_hold'])
    .where('merged_into_id', 'is', null)
    .where('updated_at', '>=', sql<Date>`now() - make_interval(days => ${windowDays})`)
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Serializes continuity decisions per customer, so two simultaneous contacts do not open two
 * cases. Returns the workspace's continuity settings, read in the same statement: every contact
 * needs both. (Read straight from workspaces.settings, see continuity.ts.)
 */
export async function lockCustomerContacts(tx: Db, workspaceId: string, customerId: string): Promise<unknown> {
  const result = await sql<{ continuity: unknown }>`
    select pg_advisory_xact_lock(hashtext(${`case-contact:${workspaceId}:${customerId}`})),
      (select settings->'continuity' from workspaces where id = ${workspaceId}) as continuity`.execute(tx);
  return result.rows[0]?.continuity;
}

// Followers

export async function followerIdsOf(db: Db, actor: Actor, caseIds: string[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>(caseIds.map((id) => [id, []]));
  if (caseIds.length === 0) return result;
  const rows = await db
    .selectFrom('case_followers')
    .select(['case_id', 'agent_id'])
    .where('workspace_id', '=', workspaceScope(actor))
    .where('case_id', 'in', caseIds)
    .orderBy('created_at')
    .orderBy('agent_id')
    .execute();
  for (const row of rows) result.get(row.case_id)?.push(row.agent_id);
  return result;
}

/** Returns whether the agent was not following yet. */
export async function insertFollower(tx: Db, actor: Actor, caseId: string, agentId: string): Promise<boolean> {
  const inserted = await tx
    .insertInto('case_followers')
    .values({ case_id: caseId, agent_id: agentId, workspace_id: workspaceScope(actor) })
    .onConflict((oc) => oc.columns(['case_id', 'agent_id']).doNothing())
    .returning('agent_id')
    .executeTakeFirst();
  forgetSharedReads(tx, SHARED_CASE_READS);
  return inserted !== undefined;
}

export async function deleteFollower(tx: Db, actor: Actor, caseId: string, agentId: string): Promise<boolean> {
  const deleted = await tx
    .deleteFrom('case_followers')
    .where('workspace_id', '=', workspaceScope(actor))
    .where('case_id', '=', caseId)
    .where('agent_id', '=', agentId)
    .returning('agent_id')
    .executeTakeFirst();
  forgetSharedReads(tx, SHARED_CASE_READS);
  return deleted !== undefined;
}

/** Copies the followers of one case to another (merge); agents already following are kept once. */
export async function copyFollowers(tx: Db, actor: Actor, fromCaseId: string, toCaseId: string): Promise<void> {
  await sql`
    insert into case_followers (case_id, agent_id, workspace_id)
    select ${toCaseId}, agent_id, workspace_id from case_followers
    where workspace_id = ${workspaceScope(actor)} and case_id = ${fromCaseId}
    on conflict (case_id, agent_id) do nothing`.execute(tx);
  forgetSharedReads(tx, SHARED_CASE_READS);
}

/** Case numbers of several cases of the actor's workspace in one query (ids not found are left out). */
export async function selectCaseNumbers(db: Db, actor: Actor, caseIds: string[]): Promise<Map<string, number>> {
  const ids = [...new Set(caseIds.filter(isUuid))];
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('cases')
    .select(['id', 'number'])
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, r.number]));
}
