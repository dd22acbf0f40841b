import type { Updateable } from 'kysely';
import type { Db } from '../../../db/database.js';
import { inTransaction } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { recordAudit } from '../../../platform/audit.js';
import type { JsonObject } from '../../../platform/schema.js';
import { requestImapSync } from '../imap/schedule.js';
import type { MailboxesTable } from '../schema.js';
import { addressTakenError, imapAuditDetails, isUniqueViolation } from './create-mailbox.js';
import { normalizeMailboxAddress, resolveImapSettings, type ImapSettings, type MailboxPatch } from './input.js';
import { encryptImapPassword } from './password-crypto.js';
import { forgetImapSyncState, getMailboxRow, mailboxAddressTaken, syncStatesOf, updateMailboxRow } from './store.js';
import { assertTeamOfWorkspace } from './team-check.js';
import { mailboxView, type MailboxRow, type MailboxView } from './views.js';

const SIMPLE_FIELDS = ['category', 'language', 'acknowledge', 'ack_subject', 'ack_body', 'active'] as const;

function currentImap(row: MailboxRow): Omit<ImapSettings, 'password'> | null {
  if (row.imap_host === null) return null;
  return {
    host: row.imap_host,
    port: row.imap_port ?? (row.imap_tls ? 993 : 143),
    tls: row.imap_tls,
    username: row.imap_username ?? '',
    folder: row.imap_folder,
    moveTo: row.imap_move_to,
  };
}

const NO_IMAP: Updateable<MailboxesTable> = {
  imap_host: null,
  imap_port: null,
  imap_tls: true,
  imap_username: null,
  imap_password_enc: null,
  imap_folder: 'INBOX',
  imap_move_to: null,
};

/**
 * Changes a mailbox (admin): any field, `active` to stop receiving, `imap: null` to stop IMAP.
 * IMAP fields merge over the stored ones and the password is replaced only when given. A new
 * server, account or folder starts the sync from scratch (the old UIDs mean nothing there).
 */
export async function updateMailbox(db: Db, secret: string, actor: Actor, id: string, patch: MailboxPatch): Promise<MailboxView> {
  try {
    return await inTransaction(db, async (tx) => {
      const current = await getMailboxRow(tx, actor, id, 'mailbox.manage', { forUpdate: true });
      const changes: Updateable<MailboxesTable> = {};
      const details: JsonObject = {};
      const change = <K extends keyof MailboxRow>(field: K, to: MailboxRow[K]) => {
        if (to === current[field]) return;
        (changes as Record<string, unknown>)[field] = to;
        details[field] = { from: current[field], to };
      };

      if (patch.address !== undefined) {
        const address = normalizeMailboxAddress(patch.address);
        if (address !== current.address && (await mailboxAddressTaken(tx, actor, address, id))) throw addressTakenError();
        change('address', address);
      }
      if (patch.name !== undefined) change('name', patch.name.trim());
      if (patch.team_id !== undefined) {
        if (patch.team_id !== null && patch.team_id !== current.team_id) await assertTeamOfWorkspace(tx, actor, patch.team_id);
        change('team_id', patch.team_id);
      }
      for (const field of SIMPLE_FIELDS) {
        if (patch[field] !== undefined) change(field, patch[field]);
      }

      let syncNeeded = false;
      const before = currentImap(current);
      if (patch.imap === null && before) {
        Object.assign(changes, NO_IMAP);
        details.imap = { from: imapAuditDetails({ ...before, password: undefined }), to: null };
        await forgetImapSyncState(tx, actor, id);
      } else if (patch.imap) {
        const after = resolveImapSettings(patch.imap, before, current.imap_password_enc !== null);
        Object.assign(changes, {
          imap_host: after.host,
          imap_port: after.port,
          imap_tls: after.tls,
          imap_username: after.username,
          imap_folder: after.folder,
          imap_move_to: after.moveTo,
          ...(after.password !== undefined ? { imap_password_enc: encryptImapPassword(secret, id, after.password) } : {}),
        });
        const auditBefore = before ? imapAuditDetails({ ...before, password: undefined }) : null;
        const auditAfter = imapAuditDetails(after);
        if (JSON.stringify(auditBefore) !== JSON.stringify(auditAfter)) details.imap = { from: auditBefore, to: auditAfter };
        if (after.password !== undefined) details.imap_password = 'replaced';
        const moved = !before || before.host !== after.host || before.port !== after.port;
        if (moved || before.username !== after.username || before.folder !== after.folder) await forgetImapSyncState(tx, actor, id);
        syncNeeded = details.imap !== undefined || details.imap_password !== undefined;
      }
      if (details.active !== undefined && patch.active === true) syncNeeded = true;

      if (Object.keys(details).length === 0) {
        const states = await syncStatesOf(tx, actor, [id]);
        return mailboxView(current, states.get(id));
      }
      const row = await updateMailboxRow(tx, actor, id, changes);
      await recordAudit(tx, actor, { action: 'mailbox.updated', targetType: 'mailbox', targetId: id, details });
      if (syncNeeded && row.active && row.imap_host !== null) await requestImapSync(tx, id);
      const states = await syncStatesOf(tx, actor, [id]);
      return mailboxView(row, states.get(id));
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw addressTakenError();
    throw error;
  }
}
