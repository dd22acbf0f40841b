import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { authorize, workspaceScope } from '../../platform/authorization.js';
import { notFound } from '../../platform/errors.js';
import type { ChatSitesTable } from './schema.js';

/** SQL of chat_sites. Admin reads and writes take the actor; the widget looks a site up by its public key. */

export type ChatSiteRow = Selectable<ChatSitesTable>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function listSiteRows(db: Db, actor: Actor): Promise<ChatSiteRow[]> {
  authorize(actor, 'chat.manage', { workspaceId: workspaceScope(actor), type: 'chat_site' });
  return db
    .selectFrom('chat_sites')
    .selectAll()
    .where('workspace_id', '=', workspaceScope(actor))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function getSiteRow(db: Db, actor: Actor, id: string, options: { forUpdate?: boolean } = {}): Promise<ChatSiteRow> {
  authorize(actor, 'chat.manage', { workspaceId: workspaceScope(actor), type: 'chat_site' });
  if (!UUID.test(id)) throw notFound('chat_site');
  let query = db.selectFrom('chat_sites').selectAll().where('workspace_id', '=', workspaceScope(actor)).where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound('chat_site');
  authorize(actor, 'chat.manage', { workspaceId: row.workspace_id, type: 'chat_site' });
  return row;
}

export async function insertSite(tx: Db, actor: Actor, values: Omit<Insertable<ChatSitesTable>, 'workspace_id'>): Promise<ChatSiteRow> {
  authorize(actor, 'chat.manage', { workspaceId: workspaceScope(actor), type: 'chat_site' });
  return tx
    .insertInto('chat_sites')
    .values({ ...values, workspace_id: workspaceScope(actor) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateSiteRow(tx: Db, actor: Actor, id: string, changes: Updateable<ChatSitesTable>): Promise<ChatSiteRow> {
  authorize(actor, 'chat.manage', { workspaceId: workspaceScope(actor), type: 'chat_site' });
  const row = await tx
    .updateTable('chat_sites')
    .set({ ...changes, updated_at: new Date() })
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw notFound('chat_site');
  return row;
}

export async function siteHasConversations(db: Db, actor: Actor, id: string): Promise<boolean> {
  const row = await db
    .selectFrom('chat_conversations')
    .select('id')
    .where('workspace_id', '=', workspaceScope(actor))
    .where('site_id', '=', id)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function deleteSiteRow(tx: Db, actor: Actor, id: string): Promise<void> {
  authorize(actor, 'chat.manage', { workspaceId: workspaceScope(actor), type: 'chat_site' });
  await tx.deleteFrom('chat_sites').where('workspace_id', '=', workspaceScope(actor)).where('id', '=', id).execute();
}

/** The widget's lookup by public key (no actor yet: the key is what names the workspace). */
export async function findActiveSiteByKey(db: Db, siteKey: string): Promise<ChatSiteRow | undefined> {
  if (!/^cs_[A-Za-z0-9_-]{20,64}$/.test(siteKey)) return undefined;
  return db.selectFrom('chat_sites').selectAll().where('site_key', '=', siteKey).where('active', '=', true).executeTakeFirst();
}

export async function getChatCapacityRow(db: Db, workspaceId: string, agentId: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('chat_agent_settings')
    .select('chat_capacity')
    .where('workspace_id', '=', workspaceId)
    .where('agent_id', '=', agentId)
    .executeTakeFirst();
  return row?.chat_capacity;
}

export async function upsertChatCapacity(tx: Db, workspaceId: string, agentId: string, capacity: number): Promise<void> {
  await tx
    .insertInto('chat_agent_settings')
    .values({ agent_id: agentId, workspace_id: workspaceId, chat_capacity: capacity })
    .onConflict((oc) => oc.column('agent_id').doUpdateSet({ chat_capacity: capacity, updated_at: new Date() }))
    .execute();
}

/** The mailbox a site's chat mail goes out from (system use by jobs). */
export async function siteMailboxOf(db: Db, workspaceId: string, siteId: string): Promise<{ mailbox_id: string | null }> {
  const row = await db
    .selectFrom('chat_sites')
    .select('mailbox_id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', siteId)
    .executeTakeFirst();
  return row ?? { mailbox_id: null };
}
