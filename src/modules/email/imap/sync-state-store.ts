import { sql } from 'kysely';
import type { Db } from '../../../db/database.js';

/**
 * SQL of imap_sync_state: where each IMAP mailbox got to. Used only by the sync job (system work
 * on a mailbox already resolved by id, like intake-store.ts), so no actor here.
 *
 * uidvalidity 0 means "not known yet" (a first sync that failed before opening the folder);
 * servers never use 0 (RFC 3501: nz-number), so the next successful open starts from UID 1.
 */
export interface SyncState {
  uidvalidity: number;
  last_uid: number;
}

export async function getSyncState(db: Db, mailboxId: string): Promise<SyncState | undefined> {
  return db.selectFrom('imap_sync_state').select(['uidvalidity', 'last_uid']).where('mailbox_id', '=', mailboxId).executeTakeFirst();
}

/** A folder seen for the first time, or whose UIDVALIDITY changed: its UIDs start over. */
export async function restartSyncState(db: Db, mailboxId: string, uidvalidity: number): Promise<void> {
  await db
    .insertInto('imap_sync_state')
    .values({ mailbox_id: mailboxId, uidvalidity, last_uid: 0 })
    .onConflict((oc) => oc.column('mailbox_id').doUpdateSet({ uidvalidity, last_uid: 0 }))
    .execute();
}

/** Never moves backwards, so two overlapping syncs (two worker processes) cannot undo each other. */
export async function advanceLastUid(db: Db, mailboxId: string, uidvalidity: number, uid: number): Promise<void> {
  await db
    .updateTable('imap_sync_state')
    .set({ last_uid: sql<number>`greatest(last_uid, ${uid})` })
    .where('mailbox_id', '=', mailboxId)
    .where('uidvalidity', '=', uidvalidity)
    .execute();
}

/** A completed sync; `notice` (e.g. skipped oversized messages) stays visible as last_error until the next one. */
export async function recordSyncDone(db: Db, mailboxId: string, notice: string | null): Promise<void> {
  await db
    .updateTable('imap_sync_state')
    .set({ last_sync_at: new Date(), last_error: notice?.slice(0, 2000) ?? null })
    .where('mailbox_id', '=', mailboxId)
    .execute();
}

export async function recordSyncError(db: Db, mailboxId: string, message: string): Promise<void> {
  const lastError = message.slice(0, 2000);
  await db
    .insertInto('imap_sync_state')
    .values({ mailbox_id: mailboxId, uidvalidity: 0, last_uid: 0, last_error: lastError })
    .onConflict((oc) => oc.column('mailbox_id').doUpdateSet({ last_error: lastError }))
    .execute();
}
