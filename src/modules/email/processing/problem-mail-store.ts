import { sql } from 'kysely';
import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { workspaceScope } from '../../../platform/authorization.js';
import type { JsonObject } from '../../../platform/schema.js';
import type { InboundMailStatus } from '../schema.js';

/** SQL of the problem-mail API (received mail as stored, for admins and supervisors). Callers authorize. */

/** Header bytes read for rows that were never parsed (their From/Subject come from a peek). */
const PEEK_BYTES = 16 * 1024;

export interface InboundMailListRow {
  id: string;
  mailbox_id: string;
  mailbox_address: string | null;
  source: 'smtp' | 'imap';
  status: InboundMailStatus;
  reason_code: string | null;
  reason: string | null;
  from_address: string | null;
  subject: string | null;
  message_id_header: string | null;
  size_bytes: number;
  case_id: string | null;
  received_at: Date;
  processed_at: Date | null;
  auth_results: JsonObject | null;
  attempts: number;
  received_us: number;
  /** The first bytes of the raw message when From and Subject are unknown. */
  head: Uint8Array | null;
}

const LIST_COLUMNS = sql`m.id, m.mailbox_id, b.address as mailbox_address, m.source, m.status, m.reason_code, m.reason,
  m.from_address, m.subject, m.message_id_header, m.size_bytes, m.case_id, m.received_at, m.processed_at, m.auth_results,
  m.attempts, (extract(epoch from m.received_at) * 1000000)::bigint as received_us,
  case when m.from_address is null and m.subject is null then substring(m.raw from 1 for ${PEEK_BYTES}) end as head`;

export async function selectInboundMailPage(
  db: Db,
  actor: Actor,
  filter: { status?: InboundMailStatus | undefined; limit: number; after?: { receivedUs: number; id: string } | undefined },
): Promise<InboundMailListRow[]> {
  const status = filter.status ? sql`and m.status = ${filter.status}` : sql``;
  const after = filter.after
    ? sql`and (m.received_at, m.id) < (timestamptz 'epoch' + ${filter.after.receivedUs}::bigint * interval '1 microsecond', ${filter.after.id}::uuid)`
    : sql``;
  const result = await sql<InboundMailListRow>`
    select ${LIST_COLUMNS}
      from inbound_mail m left join mailboxes b on b.id = m.mailbox_id
     where m.workspace_id = ${workspaceScope(actor)} ${status} ${after}
     order by m.received_at desc, m.id desc
     limit ${filter.limit}`.execute(db);
  return result.rows.map((r) => ({ ...r, received_us: Number(r.received_us) }));
}

export async function selectInboundMail(
  db: Db,
  actor: Actor,
  id: string,
): Promise<(InboundMailListRow & { headerBytes: Uint8Array }) | undefined> {
  const result = await sql<InboundMailListRow & { header_bytes: Uint8Array }>`
    select ${LIST_COLUMNS}, substring(m.raw from 1 for 65536) as header_bytes
      from inbound_mail m left join mailboxes b on b.id = m.mailbox_id
     where m.workspace_id = ${workspaceScope(actor)} and m.id = ${id}`.execute(db);
  const row = result.rows[0];
  return row ? { ...row, received_us: Number(row.received_us), headerBytes: row.header_bytes } : undefined;
}

export async function selectInboundRaw(db: Db, actor: Actor, id: string): Promise<{ raw: Buffer; received_at: Date } | undefined> {
  const row = await db
    .selectFrom('inbound_mail')
    .select(['raw', 'received_at'])
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', '=', id)
    .executeTakeFirst();
  return row ? { raw: Buffer.from(row.raw), received_at: row.received_at } : undefined;
}

export async function lockInboundMail(tx: Db, actor: Actor, id: string): Promise<{ status: InboundMailStatus } | undefined> {
  return tx
    .selectFrom('inbound_mail')
    .select('status')
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** Back to the start of processing: received, no attempts, no outcome. */
export async function resetInboundMail(tx: Db, actor: Actor, id: string): Promise<void> {
  await tx
    .updateTable('inbound_mail')
    .set({ status: 'received', attempts: 0, reason_code: null, reason: null, case_id: null, message_id: null, processed_at: null })
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', '=', id)
    .execute();
}
