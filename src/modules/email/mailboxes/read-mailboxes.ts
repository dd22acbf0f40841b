import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import type { MailboxRoute } from '../intake-store.js';
import { decryptImapPassword } from './password-crypto.js';
import { getImapMailboxRow, getMailboxRow, listImapMailboxRows, listMailboxRows, syncStatesOf } from './store.js';
import { mailboxView, type MailboxRow, type MailboxView } from './views.js';

/** Any agent of the workspace may see its mailboxes (never an IMAP password). */
export async function listMailboxes(db: Db, actor: Actor): Promise<MailboxView[]> {
  const rows = await listMailboxRows(db, actor);
  const states = await syncStatesOf(
    db,
    actor,
    rows.filter((r) => r.imap_host !== null).map((r) => r.id),
  );
  return rows.map((row) => mailboxView(row, states.get(row.id)));
}

export async function getMailbox(db: Db, actor: Actor, id: string): Promise<MailboxView> {
  const row = await getMailboxRow(db, actor, id, 'mailbox.read');
  const states = await syncStatesOf(db, actor, [id]);
  return mailboxView(row, states.get(id));
}

/** Decrypted IMAP settings of an active mailbox, for the poller and the IDLE watcher (system use). */
export interface ImapMailbox {
  id: string;
  workspaceId: string;
  address: string;
  /** The route acceptInboundMail files imported mail under. */
  route: MailboxRoute;
  host: string;
  port: number;
  tls: boolean;
  username: string;
  password: string;
  folder: string;
  moveTo: string | null;
}

function imapMailboxOf(secret: string, row: MailboxRow): ImapMailbox {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    address: row.address,
    route: { id: row.id, workspaceId: row.workspace_id, address: row.address },
    host: row.imap_host!,
    port: row.imap_port ?? (row.imap_tls ? 993 : 143),
    tls: row.imap_tls,
    username: row.imap_username ?? '',
    // No stored password: try an empty one, the server's refusal ends up in last_error.
    password: row.imap_password_enc === null ? '' : decryptImapPassword(secret, row.id, row.imap_password_enc),
    folder: row.imap_folder,
    moveTo: row.imap_move_to,
  };
}

/**
 * Every active mailbox with IMAP, across workspaces. One whose password cannot be decrypted is
 * left out here; syncing it (getImapMailbox) reports why in its last_error.
 */
export async function listImapMailboxes(db: Db, secret: string): Promise<ImapMailbox[]> {
  const result: ImapMailbox[] = [];
  for (const row of await listImapMailboxRows(db)) {
    try {
      result.push(imapMailboxOf(secret, row));
    } catch {
      continue;
    }
  }
  return result;
}

/** One active IMAP mailbox, or undefined when it was deactivated, deleted or lost its IMAP settings. */
export async function getImapMailbox(db: Db, secret: string, id: string): Promise<ImapMailbox | undefined> {
  const row = await getImapMailboxRow(db, id);
  return row ? imapMailboxOf(secret, row) : undefined;
}
