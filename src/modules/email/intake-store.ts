import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { baseAddress } from './reply-address.js';

/**
 * The first durable step of every inbound message (SMTP and IMAP): the raw bytes go into
 * `inbound_mail` and only then does SMTP answer 250 (or IMAP mark the message processed). The
 * inbound processor (worker role) picks rows up by status `received`; a NOTIFY wakes it at once.
 */
export const INBOUND_MAIL_CHANNEL = 'baton_inbound_mail';

export interface MailboxRoute {
  id: string;
  workspaceId: string;
  address: string;
}

/**
 * Active mailboxes for SMTP recipients (plus-addressed reply addresses route to their mailbox),
 * in recipient order, without duplicates. No actor: SMTP knows no workspace until this answers.
 */
export async function findMailboxesByRecipients(db: Db, recipients: string[]): Promise<Map<string, MailboxRoute>> {
  const byBase = new Map(recipients.map((r) => [r, baseAddress(r)]));
  const result = new Map<string, MailboxRoute>();
  const bases = [...new Set(byBase.values())];
  if (bases.length === 0) return result;
  const rows = await db
    .selectFrom('mailboxes')
    .select(['id', 'workspace_id', 'address'])
    .where('address', 'in', bases)
    .where('active', '=', true)
    .execute();
  const found = new Map(rows.map((r) => [r.address, { id: r.id, workspaceId: r.workspace_id, address: r.address }]));
  for (const [recipient, base] of byBase) {
    const mailbox = found.get(base);
    if (mailbox) result.set(recipient, mailbox);
  }
  return result;
}

export interface InboundMailInput {
  source: 'smtp' | 'imap';
  raw: Buffer;
  envelopeFrom: string | null;
  /** Recipients with the mailbox each routes to (SMTP RCPT TO, or the IMAP mailbox's own address). */
  recipients: { address: string; mailbox: MailboxRoute }[];
  remoteIp?: string | null;
  helo?: string | null;
  imap?: { uidvalidity: number; uid: number };
}

/**
 * Stores one received message: one `inbound_mail` row per workspace it is addressed to (a
 * message to billing@ and support@ of one workspace is one case, not two). Returns the new row
 * ids; with IMAP, a UID already stored returns [] (never imported twice). All or nothing.
 */
export async function acceptInboundMail(db: Db, input: InboundMailInput): Promise<string[]> {
  const perWorkspace = new Map<string, { mailbox: MailboxRoute; addresses: string[] }>();
  for (const { address, mailbox } of input.recipients) {
    const entry = perWorkspace.get(mailbox.workspaceId) ?? { mailbox, addresses: [] };
    entry.addresses.push(address.toLowerCase());
    perWorkspace.set(mailbox.workspaceId, entry);
  }
  if (perWorkspace.size === 0) return [];
  const rows = [...perWorkspace.values()].map(({ mailbox, addresses }) => ({
    workspace_id: mailbox.workspaceId,
    mailbox_id: mailbox.id,
    source: input.source,
    raw: input.raw,
    size_bytes: input.raw.length,
    envelope_from: input.envelopeFrom?.slice(0, 512) ?? null,
    envelope_to: addresses.map((a) => a.slice(0, 254)),
    remote_ip: input.remoteIp?.slice(0, 64) ?? null,
    helo: input.helo?.slice(0, 255) ?? null,
    imap_uidvalidity: input.imap?.uidvalidity ?? null,
    imap_uid: input.imap?.uid ?? null,
  }));
  // One statement (its own transaction, so all or nothing) stores the rows and wakes the
  // processors: SMTP answers 250 after one round trip instead of four (begin, insert, notify, commit).
  const stored = await db
    .with('stored', (qb) =>
      qb
        .insertInto('inbound_mail')
        .values(rows)
        .onConflict((oc) => oc.columns(['mailbox_id', 'imap_uidvalidity', 'imap_uid']).where('imap_uid', 'is not', null).doNothing())
        .returning('id'),
    )
    .selectFrom('stored')
    .select(['id', sql<string>`pg_notify(${INBOUND_MAIL_CHANNEL}, '')`.as('woken')])
    .execute();
  return stored.map((r) => r.id);
}
