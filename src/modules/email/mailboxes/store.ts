import type { Insertable, Updateable } from 'kysely';
import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { authorize, workspaceScope, type Permission } from '../../../platform/authorization.js';
import { notFound } from '../../../platform/errors.js';
import type { MailboxesTable } from '../schema.js';
import type { MailboxRow, SyncStateRow } from './views.js';

/** SQL of the mailboxes table (and the sync status shown with each mailbox). */

export const mailboxResource = (workspaceId: string) => ({ workspaceId, type: 'mailbox' });

export async function listMailboxRows(db: Db, actor: Actor): Promise<MailboxRow[]> {
  authorize(actor, 'mailbox.read');
  return db.selectFrom('mailboxes').selectAll().where('workspace_id', '=', workspaceScope(actor)).orderBy('address').execute();
}

export async function getMailboxRow(
  db: Db,
  actor: Actor,
  id: string,
  permission: Permission,
  options: { forUpdate?: boolean } = {},
): Promise<MailboxRow> {
  authorize(actor, permission);
  let query = db.selectFrom('mailboxes').selectAll().where('workspace_id', '=', workspaceScope(actor)).where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound('mailbox');
  authorize(actor, permission, mailboxResource(row.workspace_id));
  return row;
}

/** IMAP sync status of several mailboxes in one query (no N+1 on the list). */
export async function syncStatesOf(db: Db, actor: Actor, mailboxIds: string[]): Promise<Map<string, SyncStateRow>> {
  authorize(actor, 'mailbox.read');
  if (mailboxIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('imap_sync_state as s')
    .innerJoin('mailboxes as m', 'm.id', 's.mailbox_id')
    .select(['s.mailbox_id', 's.last_sync_at', 's.last_error'])
    .where('m.workspace_id', '=', workspaceScope(actor))
    .where('s.mailbox_id', 'in', mailboxIds)
    .execute();
  return new Map(rows.map((r) => [r.mailbox_id, r]));
}

/**
 * Addresses are unique across the installation (SMTP routes by address before any workspace is
 * known), so this check deliberately looks beyond the actor's workspace; it reveals only "taken".
 */
export async function mailboxAddressTaken(db: Db, actor: Actor, address: string, exceptId?: string): Promise<boolean> {
  authorize(actor, 'mailbox.manage');
  let query = db.selectFrom('mailboxes').select('id').where('address', '=', address);
  if (exceptId) query = query.where('id', '!=', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

export async function insertMailbox(
  tx: Db,
  actor: Actor,
  values: Omit<Insertable<MailboxesTable>, 'workspace_id' | 'created_at' | 'updated_at'> & { id: string },
): Promise<MailboxRow> {
  authorize(actor, 'mailbox.manage');
  return tx
    .insertInto('mailboxes')
    .values({ ...values, workspace_id: workspaceScope(actor) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateMailboxRow(tx: Db, actor: Actor, id: string, changes: Updateable<MailboxesTable>): Promise<MailboxRow> {
  authorize(actor, 'mailbox.manage');
  return tx
    .updateTable('mailboxes')
    .set({ ...changes, updated_at: new Date() })
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function mailboxHasInboundMail(tx: Db, actor: Actor, id: string): Promise<boolean> {
  authorize(actor, 'mailbox.manage');
  const row = await tx
    .selectFrom('inbound_mail')
    .select('id')
    .where('workspace_id', '=', workspaceScope(actor))
    .where('mailbox_id', '=', id)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function deleteMailboxRow(tx: Db, actor: Actor, id: string): Promise<void> {
  authorize(actor, 'mailbox.manage');
  await tx.deleteFrom('mailboxes').where('workspace_id', '=', workspaceScope(actor)).where('id', '=', id).execute();
}

/** Where a mailbox's IMAP sync got to is meaningless once its server, account or folder changed. */
export async function forgetImapSyncState(tx: Db, actor: Actor, id: string): Promise<void> {
  authorize(actor, 'mailbox.manage');
  await tx
    .deleteFrom('imap_sync_state')
    .where('mailbox_id', 'in', (eb) =>
      eb.selectFrom('mailboxes').select('id').where('workspace_id', '=', workspaceScope(actor)).where('id', '=', id),
    )
    .execute();
}

/**
 * System reads for the IMAP poller and the IDLE watcher (worker role, no actor): active mailboxes
 * with IMAP settings, across workspaces.
 */
export async function listImapMailboxRows(db: Db): Promise<MailboxRow[]> {
  return db
    .selectFrom('mailboxes')
    .selectAll()
    .where('active', '=', true)
    .where('imap_host', 'is not', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function getImapMailboxRow(db: Db, id: string): Promise<MailboxRow | undefined> {
  return db
    .selectFrom('mailboxes')
    .selectAll()
    .where('id', '=', id)
    .where('active', '=', true)
    .where('imap_host', 'is not', null)
    .executeTakeFirst();
}
