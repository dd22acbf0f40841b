import { sql, type Selectable } from 'kysely';
import type { Db } from '../../../db/database.js';
import type { OutboundMailKind, OutboundMailStatus, OutboundMailTable } from '../schema.js';

/**
 * SQL of outgoing mail: the outbound_mail rows (queue, send state, the sent-mail viewer). Callers
 * pass the workspace they act for; the send job, which starts from a bare row id, reads the row's
 * own workspace first.
 */

export type OutboundMailRow = Selectable<OutboundMailTable>;
export type AutoSubmitted = 'auto-replied' | 'auto-generated';

export interface NewOutboundMail {
  workspace_id: string;
  kind: OutboundMailKind;
  case_id: string | null;
  message_id: string | null;
  mailbox_id: string | null;
  recipient_agent_id: string | null;
  from_address: string;
  to_addresses: string[];
  cc_addresses: string[];
  reply_to: string | null;
  subject: string;
  message_id_header: string;
  in_reply_to: string | null;
  references_header: string | null;
  body_text: string;
  body_html: string | null;
  attachment_ids: string[];
  auto_submitted: AutoSubmitted | null;
  status: 'queued' | 'suppressed';
  last_error: string | null;
}

/**
 * Inserts a row; undefined when a row for the same case message exists already (outbound_mail.message_id
 * is unique, so a replayed event queues nothing twice).
 */
export async function insertOutboundMail(tx: Db, values: NewOutboundMail): Promise<{ id: string } | undefined> {
  return tx
    .insertInto('outbound_mail')
    .values(values)
    .onConflict((oc) => oc.column('message_id').doNothing())
    .returning('id')
    .executeTakeFirst();
}

/** A row by id, whatever its workspace: for the send job, whose payload is the id alone. */
export async function findOutboundMailForSending(db: Db, id: string): Promise<OutboundMailRow | undefined> {
  return db.selectFrom('outbound_mail').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function saveComposedRaw(db: Db, id: string, raw: Buffer): Promise<void> {
  await db.updateTable('outbound_mail').set({ raw }).where('id', '=', id).where('raw', 'is', null).execute();
}

/**
 * Records one send attempt while the row is still queued: the new status (queued again, sent,
 * kept or failed) and the error of this try (null on success). False when the row was no longer
 * queued (someone else finished it).
 */
export async function recordSendAttempt(
  db: Db,
  id: string,
  outcome: { status: Exclude<OutboundMailStatus, 'suppressed'>; lastError: string | null },
): Promise<boolean> {
  const result = await db
    .updateTable('outbound_mail')
    .set({
      status: outcome.status,
      attempts: sql<number>`attempts + 1`,
      last_error: outcome.lastError === null ? null : outcome.lastError.slice(0, 2000),
      ...(outcome.status === 'sent' ? { sent_at: sql<Date>`now()` } : {}),
    })
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Marks a queued row failed without a send attempt (it could not even be composed). */
export async function failWithoutAttempt(db: Db, id: string, error: string): Promise<void> {
  await db
    .updateTable('outbound_mail')
    .set({ status: 'failed', last_error: error.slice(0, 2000) })
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .execute();
}

/** failed -> queued for an admin's retry; the attempt count starts again. Null when the row is not failed. */
export async function requeueFailed(
  tx: Db,
  workspaceId: string,
  id: string,
): Promise<{ attempts: number; last_error: string | null } | null> {
  const before = await tx
    .selectFrom('outbound_mail')
    .select(['attempts', 'last_error', 'status'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!before || before.status !== 'failed') return null;
  await tx
    .updateTable('outbound_mail')
    .set({ status: 'queued', attempts: 0, last_error: null })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
  return { attempts: before.attempts, last_error: before.last_error };
}

/** The list columns of the viewer, with the case number (one join, no per-row lookup). */
export interface OutboundMailListRow {
  id: string;
  kind: OutboundMailKind;
  case_id: string | null;
  case_number: number | null;
  recipient_agent_id: string | null;
  from_address: string;
  to_addresses: string[];
  cc_addresses: string[];
  reply_to: string | null;
  subject: string;
  message_id_header: string;
  in_reply_to: string | null;
  status: OutboundMailStatus;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  created_us: number;
  sent_at: Date | null;
}

export interface OutboundMailFilter {
  caseId?: string | undefined;
  status?: OutboundMailStatus | undefined;
  kind?: OutboundMailKind | undefined;
  /** Agents do not see notification mail addressed to other agents. */
  hideNotificationsExceptFor?: string | undefined;
  limit: number;
  /** Keyset position: newest first by (created_at, id). */
  before?: { createdUs: number; id: string } | undefined;
}

// Keyset cursors need PostgreSQL's microseconds: a JavaScript Date keeps milliseconds only.
const createdUs = sql<number>`(extract(epoch from outbound_mail.created_at) * 1000000)::bigint`;

function listQuery(db: Db, workspaceId: string) {
  return (
    db
      .selectFrom('outbound_mail')
      // Known shortcut (ARCHITECTURE.md): the case number is read from the cases table in the same
      // query; the cases module has no batched id -> number lookup yet.
      .leftJoin('cases', (join) => join.onRef('cases.id', '=', 'outbound_mail.case_id').on('cases.workspace_id', '=', workspaceId))
      .select([
        'outbound_mail.id',
        'outbound_mail.kind',
        'outbound_mail.case_id',
        'cases.number as case_number',
        'outbound_mail.recipient_agent_id',
        'outbound_mail.from_address',
        'outbound_mail.to_addresses',
        'outbound_mail.cc_addresses',
        'outbound_mail.reply_to',
        'outbound_mail.subject',
        'outbound_mail.message_id_header',
        'outbound_mail.in_reply_to',
        'outbound_mail.status',
        'outbound_mail.attempts',
        'outbound_mail.last_error',
        'outbound_mail.created_at',
        createdUs.as('created_us'),
        'outbound_mail.sent_at',
      ])
      .where('outbound_mail.workspace_id', '=', workspaceId)
  );
}

export async function listOutboundMailRows(db: Db, workspaceId: string, filter: OutboundMailFilter): Promise<OutboundMailListRow[]> {
  let query = listQuery(db, workspaceId);
  if (filter.caseId) query = query.where('outbound_mail.case_id', '=', filter.caseId);
  if (filter.status) query = query.where('outbound_mail.status', '=', filter.status);
  if (filter.kind) query = query.where('outbound_mail.kind', '=', filter.kind);
  const agentId = filter.hideNotificationsExceptFor;
  if (agentId) {
    query = query.where((eb) =>
      eb.or([eb('outbound_mail.kind', '!=', 'notification'), eb('outbound_mail.recipient_agent_id', '=', agentId)]),
    );
  }
  const before = filter.before;
  if (before) {
    query = query.where(
      sql<boolean>`(outbound_mail.created_at, outbound_mail.id) < (timestamptz 'epoch' + ${before.createdUs}::bigint * interval '1 microsecond', ${before.id}::uuid)`,
    );
  }
  const rows = await query.orderBy('outbound_mail.created_at', 'desc').orderBy('outbound_mail.id', 'desc').limit(filter.limit).execute();
  return rows.map((r) => ({ ...r, created_us: Number(r.created_us) }));
}

export async function getOutboundMailRow(
  db: Db,
  workspaceId: string,
  id: string,
): Promise<(OutboundMailListRow & { body_text: string; body_html: string | null; attachment_ids: string[] }) | undefined> {
  const row = await listQuery(db, workspaceId)
    .select(['outbound_mail.body_text', 'outbound_mail.body_html', 'outbound_mail.attachment_ids'])
    .where('outbound_mail.id', '=', id)
    .executeTakeFirst();
  return row ? { ...row, created_us: Number(row.created_us) } : undefined;
}

export async function getOutboundMailRaw(db: Db, workspaceId: string, id: string): Promise<Buffer | null> {
  const row = await db
    .selectFrom('outbound_mail')
    .select('raw')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.raw ? Buffer.from(row.raw) : null;
}
