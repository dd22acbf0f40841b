import crypto from 'node:crypto';
import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { recordAudit } from '../../../platform/audit.js';
import { authorize } from '../../../platform/authorization.js';
import { conflict } from '../../../platform/errors.js';
import { withIdempotency, type IdempotencyRequest } from '../../../platform/idempotency.js';
import { requestImapSync } from '../imap/schedule.js';
import { normalizeMailboxAddress, resolveImapSettings, type ImapSettings, type MailboxInput } from './input.js';
import { encryptImapPassword } from './password-crypto.js';
import { insertMailbox, mailboxAddressTaken } from './store.js';
import { assertTeamOfWorkspace } from './team-check.js';
import { mailboxView, type MailboxView } from './views.js';

export const addressTakenError = () =>
  conflict('mailbox.address_taken', 'Another mailbox already receives mail for this address', { field: 'address' });

/** A PostgreSQL unique violation (both drivers expose the SQLSTATE as `code`). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

/** What the audit log keeps of IMAP settings: never the password. */
export function imapAuditDetails(imap: ImapSettings | null) {
  return imap
    ? { host: imap.host, port: imap.port, tls: imap.tls, username: imap.username, folder: imap.folder, move_to: imap.moveTo }
    : null;
}

function principalOf(actor: Actor): string {
  return actor.kind === 'agent' ? `agent:${actor.agentId}` : actor.kind;
}

/**
 * Creates a mailbox (admin). The IMAP password is stored encrypted with a key derived from the
 * instance secret; a mailbox with IMAP gets its first sync queued in the same transaction.
 */
export async function createMailbox(
  db: Db,
  secret: string,
  actor: Actor,
  input: MailboxInput,
  idempotency: IdempotencyRequest = { key: undefined, requestHash: '' },
): Promise<MailboxView> {
  authorize(actor, 'mailbox.manage');
  const address = normalizeMailboxAddress(input.address);
  const imap = input.imap ? resolveImapSettings(input.imap, null, false) : null;
  try {
    const result = await withIdempotency(
      db,
      { workspaceId: actor.workspaceId, principal: principalOf(actor), key: idempotency.key, requestHash: idempotency.requestHash },
      async (tx) => {
        if (await mailboxAddressTaken(tx, actor, address)) throw addressTakenError();
        if (input.team_id) await assertTeamOfWorkspace(tx, actor, input.team_id);
        const id = crypto.randomUUID();
        const row = await insertMailbox(tx, actor, {
          id,
          address,
          name: input.name.trim(),
          team_id: input.team_id ?? null,
          ...(input.category !== undefined ? { category: input.category } : {}),
          ...(input.language !== undefined ? { language: input.language } : {}),
          ...(input.acknowledge !== undefined ? { acknowledge: input.acknowledge } : {}),
          ack_subject: input.ack_subject ?? null,
          ack_body: input.ack_body ?? null,
          ...(imap
            ? {
                imap_host: imap.host,
                imap_port: imap.port,
                imap_tls: imap.tls,
                imap_username: imap.username,
                imap_password_enc: encryptImapPassword(secret, id, imap.password!),
                imap_folder: imap.folder,
                imap_move_to: imap.moveTo,
              }
            : {}),
        });
        await recordAudit(tx, actor, {
          action: 'mailbox.created',
          targetType: 'mailbox',
          targetId: id,
          details: { address, name: row.name, team_id: row.team_id, category: row.category, imap: imapAuditDetails(imap) },
        });
        if (imap) await requestImapSync(tx, id);
        return { statusCode: 201, body: mailboxView(row, undefined) };
      },
    );
    return result.body;
  } catch (error) {
    if (isUniqueViolation(error)) throw addressTakenError();
    throw error;
  }
}
