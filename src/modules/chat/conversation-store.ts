import type { Selectable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { ChatConversationsTable, ChatVisitorsTable, ConversationState } from './schema.js';

/** SQL of chat_visitors, chat_conversations and chat_uploads. Callers have resolved the workspace. */

export type VisitorRow = Selectable<ChatVisitorsTable>;
export type ConversationRow = Selectable<ChatConversationsTable>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function findVisitor(db: Db, workspaceId: string, siteId: string, visitorId: string): Promise<VisitorRow | undefined> {
  return db
    .selectFrom('chat_visitors')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('site_id', '=', siteId)
    .where('id', '=', visitorId)
    .executeTakeFirst();
}

export async function findVisitorByExternalId(
  db: Db,
  workspaceId: string,
  siteId: string,
  externalId: string,
): Promise<VisitorRow | undefined> {
  return db
    .selectFrom('chat_visitors')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('site_id', '=', siteId)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
}

export async function insertVisitor(
  tx: Db,
  row: { id: string; workspaceId: string; siteId: string; customerId: string; externalId: string | null },
): Promise<VisitorRow> {
  return tx
    .insertInto('chat_visitors')
    .values({ id: row.id, workspace_id: row.workspaceId, site_id: row.siteId, customer_id: row.customerId, external_id: row.externalId })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Visitors and their conversations seen (one socket opening or closing, or a heartbeat of every
 * widget socket of a process): two statements however many. A visitor between conversations has
 * none to mark.
 */
export async function markVisitorsSeen(
  db: Db,
  workspaceId: string,
  seen: { visitorId: string; conversationId: string | null }[],
  at: Date,
): Promise<void> {
  if (seen.length === 0) return;
  await db
    .updateTable('chat_visitors')
    .set({ last_seen_at: at })
    .where('workspace_id', '=', workspaceId)
    .where(
      'id',
      'in',
      seen.map((s) => s.visitorId),
    )
    .execute();
  const conversations = seen.flatMap((s) => (s.conversationId ? [s.conversationId] : []));
  if (conversations.length === 0) return;
  await db
    .updateTable('chat_conversations')
    .set({ visitor_seen_at: at })
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', conversations)
    .execute();
}

export async function latestConversation(db: Db, workspaceId: string, visitorId: string): Promise<ConversationRow | undefined> {
  return db
    .selectFrom('chat_conversations')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('visitor_id', '=', visitorId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function insertConversation(
  tx: Db,
  row: {
    workspaceId: string;
    siteId: string;
    visitorId: string;
    caseId: string;
    choiceId: string | null;
    teamId: string | null;
    state: ConversationState;
    followupEmail: string | null;
  },
): Promise<ConversationRow> {
  const now = new Date();
  return tx
    .insertInto('chat_conversations')
    .values({
      workspace_id: row.workspaceId,
      site_id: row.siteId,
      visitor_id: row.visitorId,
      case_id: row.caseId,
      choice_id: row.choiceId,
      team_id: row.teamId,
      state: row.state,
      queued_at: row.state === 'queued' ? now : null,
      assigned_at: row.state === 'active' ? now : null,
      followup_email: row.followupEmail,
      visitor_seen_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findConversationByCase(db: Db, workspaceId: string, caseId: string, options: { forUpdate?: boolean } = {}) {
  if (!UUID.test(caseId)) return undefined;
  let query = db.selectFrom('chat_conversations').selectAll().where('workspace_id', '=', workspaceId).where('case_id', '=', caseId);
  if (options.forUpdate) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function lockConversation(tx: Db, workspaceId: string, id: string): Promise<ConversationRow | undefined> {
  return tx
    .selectFrom('chat_conversations')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export async function updateConversation(
  tx: Db,
  workspaceId: string,
  id: string,
  changes: Updateable<ChatConversationsTable>,
): Promise<ConversationRow> {
  return tx
    .updateTable('chat_conversations')
    .set(changes)
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Queued conversations of a workspace, oldest first, locked (SKIP LOCKED: one drain at a time takes each). */
export async function lockQueuedConversations(tx: Db, workspaceId: string, limit: number): Promise<ConversationRow[]> {
  return tx
    .selectFrom('chat_conversations')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('state', '=', 'queued')
    .orderBy('queued_at')
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

/** 1-based place in its team's queue. */
export async function queuePosition(db: Db, conversation: ConversationRow): Promise<number> {
  let query = db
    .selectFrom('chat_conversations')
    .select((eb) => eb.fn.countAll<number>().as('ahead'))
    .where('workspace_id', '=', conversation.workspace_id)
    .where('state', '=', 'queued')
    .where('queued_at', '<', conversation.queued_at ?? new Date());
  query = conversation.team_id === null ? query.where('team_id', 'is', null) : query.where('team_id', '=', conversation.team_id);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.ahead) + 1;
}

/**
 * Live chats an agent has now. Known shortcut (ARCHITECTURE.md): reads the assignee from the
 * cases table (the cases module has no batched "assignee of cases" function yet), so a chat an
 * agent handed over through the case API counts for the new assignee.
 */
export async function activeChatsOf(db: Db, workspaceId: string, agentId: string): Promise<number> {
  const row = await db
    .selectFrom('chat_conversations as cc')
    .innerJoin('cases as c', 'c.id', 'cc.case_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('cc.workspace_id', '=', workspaceId)
    .where('cc.state', '=', 'active')
    .where('c.assignee_id', '=', agentId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function recordVisitorUpload(db: Db, workspaceId: string, visitorId: string, attachmentId: string): Promise<void> {
  await db.insertInto('chat_uploads').values({ attachment_id: attachmentId, workspace_id: workspaceId, visitor_id: visitorId }).execute();
}

/** Whether every attachment id is an upload of this visitor. */
export async function ownsUploads(db: Db, workspaceId: string, visitorId: string, attachmentIds: string[]): Promise<boolean> {
  const ids = [...new Set(attachmentIds)];
  if (ids.length === 0) return true;
  if (!ids.every((id) => UUID.test(id))) return false;
  const rows = await db
    .selectFrom('chat_uploads')
    .select('attachment_id')
    .where('workspace_id', '=', workspaceId)
    .where('visitor_id', '=', visitorId)
    .where('attachment_id', 'in', ids)
    .execute();
  return rows.length === ids.length;
}

/**
 * The median seconds from a chat's start to its assignment, over the site's chats assigned since
 * `since`, with how many there were (few samples make a poor promise: the caller decides).
 */
export async function medianWaitSeconds(db: Db, siteId: string, since: Date): Promise<{ seconds: number | null; samples: number }> {
  const row = await db
    .selectFrom('chat_conversations')
    .select([
      sql<number | string | null>`percentile_cont(0.5) within group (order by extract(epoch from assigned_at - created_at))`.as('median'),
      sql<string>`count(*)::bigint`.as('samples'),
    ])
    .where('site_id', '=', siteId)
    .where('assigned_at', 'is not', null)
    .where('assigned_at', '>=', since)
    .executeTakeFirstOrThrow();
  return { seconds: row.median === null ? null : Math.max(0, Math.round(Number(row.median))), samples: Number(row.samples) };
}

/** Workspaces with chats waiting in the queue (the periodic sweep; the partial queue index serves it). */
export async function workspacesWithQueuedChats(db: Db, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('chat_conversations')
    .select('workspace_id')
    .distinct()
    .where('state', '=', 'queued')
    .limit(limit)
    .execute();
  return rows.map((r) => r.workspace_id);
}
