import { sql, type Selectable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { workspaceScope } from '../../platform/authorization.js';
import type { JsonObject } from '../../platform/schema.js';
import type { AuthorType, MessageChannel, MessagesTable, Visibility } from './schema.js';
import { fromMicros, microsOf } from './time-keys.js';

/** SQL for messages. Callers have already authorized access to the case. */

export type MessageRow = Omit<Selectable<MessagesTable>, 'search_vector' | 'workspace_id'> & { created_us: number };

const MESSAGE_COLUMNS = [
  'id',
  'case_id',
  'visibility',
  'author_type',
  'author_agent_id',
  'author_customer_id',
  'channel',
  'body_text',
  'metadata',
  'created_at',
] as const;

/** A MessageRow's columns from `messages as m`, for queries that join it with its case. */
export const MESSAGE_COLUMNS_OF_M = [
  'm.id',
  'm.case_id',
  'm.visibility',
  'm.author_type',
  'm.author_agent_id',
  'm.author_customer_id',
  'm.channel',
  'm.body_text',
  'm.metadata',
  'm.created_at',
] as const satisfies readonly `m.${(typeof MESSAGE_COLUMNS)[number]}`[];

export interface NewMessage {
  caseId: string;
  visibility: Visibility;
  authorType: AuthorType;
  authorAgentId: string | null;
  authorCustomerId: string | null;
  channel: MessageChannel;
  bodyText: string;
  metadata?: JsonObject;
}

const newMessageRow = (workspaceId: string, message: NewMessage) => ({
  workspace_id: workspaceId,
  case_id: message.caseId,
  visibility: message.visibility,
  author_type: message.authorType,
  author_agent_id: message.authorAgentId,
  author_customer_id: message.authorCustomerId,
  channel: message.channel,
  body_text: message.bodyText,
  metadata: JSON.stringify(message.metadata ?? {}),
});

export async function insertMessage(tx: Db, actor: Actor, message: NewMessage): Promise<MessageRow> {
  return tx
    .insertInto('messages')
    .values(newMessageRow(workspaceScope(actor), message))
    .returning([...MESSAGE_COLUMNS, microsOf('created_at').as('created_us')])
    .executeTakeFirstOrThrow();
}

/** Several messages of one workspace in one statement (their rows in no particular order). */
export async function insertMessages(tx: Db, workspaceId: string, messages: NewMessage[]): Promise<MessageRow[]> {
  if (messages.length === 0) return [];
  return tx
    .insertInto('messages')
    .values(messages.map((message) => newMessageRow(workspaceId, message)))
    .returning([...MESSAGE_COLUMNS, microsOf('created_at').as('created_us')])
    .execute();
}

/** One page of a case's messages, oldest first, after the (created_us, id) cursor. */
export async function selectMessages(
  db: Db,
  actor: Actor,
  caseId: string,
  options: { publicOnly: boolean; limit: number; after?: { createdUs: number; id: string } | undefined },
): Promise<MessageRow[]> {
  let query = db
    .selectFrom('messages')
    .select([...MESSAGE_COLUMNS, microsOf('created_at').as('created_us')])
    .where('workspace_id', '=', workspaceScope(actor))
    .where('case_id', '=', caseId);
  if (options.publicOnly) query = query.where('visibility', '=', 'public');
  const after = options.after;
  if (after) query = query.where(sql<boolean>`(created_at, id) > (${fromMicros(after.createdUs)}, ${after.id}::uuid)`);
  return query.orderBy('created_at').orderBy('id').limit(options.limit).execute();
}

export async function messageIdsOfCase(db: Db, actor: Actor, caseId: string, messageIds: string[]): Promise<string[]> {
  if (messageIds.length === 0) return [];
  const rows = await db
    .selectFrom('messages')
    .select('id')
    .where('workspace_id', '=', workspaceScope(actor))
    .where('case_id', '=', caseId)
    .where('id', 'in', messageIds)
    .execute();
  return rows.map((r) => r.id);
}

export async function countMessages(db: Db, actor: Actor, caseId: string): Promise<number> {
  const row = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', workspaceScope(actor))
    .where('case_id', '=', caseId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Moves messages (with their attachments, which hang off the message) to another case. */
export async function moveMessages(tx: Db, actor: Actor, fromCaseId: string, toCaseId: string, messageIds?: string[]): Promise<number> {
  let query = tx
    .updateTable('messages')
    .set({ case_id: toCaseId })
    .where('workspace_id', '=', workspaceScope(actor))
    .where('case_id', '=', fromCaseId);
  if (messageIds) {
    if (messageIds.length === 0) return 0;
    query = query.where('id', 'in', messageIds);
  }
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** A message with the customer of its case, one statement (who may read it depends on that customer). */
export async function selectMessageWithCaseCustomer(
  db: Db,
  actor: Actor,
  messageId: string,
): Promise<(MessageRow & { case_customer_id: string }) | undefined> {
  return db
    .selectFrom('messages as m')
    .innerJoin('cases as c', (join) => join.onRef('c.id', '=', 'm.case_id').onRef('c.workspace_id', '=', 'm.workspace_id'))
    .select([...MESSAGE_COLUMNS_OF_M, microsOf('m.created_at').as('created_us'), 'c.customer_id as case_customer_id'])
    .where('m.workspace_id', '=', workspaceScope(actor))
    .where('m.id', '=', messageId)
    .executeTakeFirst();
}

/** One message of the actor's workspace by id (the caller authorizes through its case). */
export async function selectMessageById(db: Db, actor: Actor, messageId: string): Promise<MessageRow | undefined> {
  return db
    .selectFrom('messages')
    .select([...MESSAGE_COLUMNS, microsOf('created_at').as('created_us')])
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', '=', messageId)
    .executeTakeFirst();
}
