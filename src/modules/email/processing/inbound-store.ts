import { sql } from 'kysely';
import type { Db } from '../../../db/database.js';
import type { JsonObject } from '../../../platform/schema.js';
import type { InboundMailStatus } from '../schema.js';
import type { KnownMessageId } from './processing-store.js';

/**
 * SQL of the inbound processor on `inbound_mail`. The processor is Baton itself working through
 * every workspace's received mail (like the outbox relay), so the claim functions take no actor;
 * everything it then writes for a message goes through the owning modules with that message's
 * workspace's system actor.
 */

/** Rows up to this size come with their raw bytes in the batch query; bigger ones are read one by one. */
const INLINE_RAW_BYTES = 512 * 1024;
export const MAX_ATTEMPTS = 5;

export interface PendingInboundMail {
  id: string;
  workspace_id: string;
  mailbox_id: string;
  source: 'smtp' | 'imap';
  size_bytes: number;
  envelope_from: string | null;
  envelope_to: string[];
  remote_ip: string | null;
  helo: string | null;
  attempts: number;
  raw: Buffer | null;
}

/**
 * The oldest received messages, skipping rows another processor holds right now. The row locks
 * end with this statement: the real claim is `claimInboundMail` inside each message's transaction.
 */
export async function selectPendingInboundMail(
  db: Db,
  limit: number,
  excludeIds: readonly string[],
  workspaceId?: string,
): Promise<PendingInboundMail[]> {
  const exclude = excludeIds.length > 0 ? sql`and id <> all(${[...excludeIds]}::uuid[])` : sql``;
  const workspace = workspaceId ? sql`and workspace_id = ${workspaceId}` : sql``;
  const result = await sql<Omit<PendingInboundMail, 'raw'> & { raw: Uint8Array | null }>`
    select id, workspace_id, mailbox_id, source, size_bytes, envelope_from, envelope_to, remote_ip, helo, attempts,
           case when size_bytes <= ${INLINE_RAW_BYTES} then raw end as raw
      from inbound_mail
     where status = 'received' ${workspace} ${exclude}
     order by arrival nulls first, received_at, id
     limit ${limit}
       for update skip locked`.execute(db);
  return result.rows.map((r) => ({ ...r, raw: r.raw ? Buffer.from(r.raw) : null }));
}

export async function loadRawMail(db: Db, id: string): Promise<Buffer | null> {
  const row = await db.selectFrom('inbound_mail').select('raw').where('id', '=', id).executeTakeFirst();
  return row ? Buffer.from(row.raw) : null;
}

/**
 * Takes the message for this transaction: it stays locked until commit, so no other processor
 * handles it, and if this process dies the rollback leaves it `received` for the next one. In
 * the same round trip, which of the message's ids (its own, In-Reply-To, References) Baton
 * already knows. Null when someone else has the message or it is no longer `received`.
 */
export async function claimInboundMail(
  tx: Db,
  row: { id: string; workspace_id: string },
  messageIds: string[],
): Promise<Map<string, KnownMessageId> | null> {
  const ids = [...new Set(messageIds.filter((id) => id.length > 0 && id.length <= 998))].slice(0, 200);
  const result = await sql<{ id: string; known: [string, string, 'inbound' | 'outbound'][] | null }>`
    select m.id,
           (select json_agg(json_build_array(k.message_id_header, k.case_id, k.direction))
              from email_message_ids k
             where k.workspace_id = ${row.workspace_id} and k.message_id_header = any(${ids}::text[])) as known
      from inbound_mail m
     where m.id = ${row.id} and m.status = 'received'
       for update of m skip locked`.execute(tx);
  const claimed = result.rows[0];
  if (!claimed) return null;
  return new Map((claimed.known ?? []).map(([id, caseId, direction]) => [id, { caseId, direction }]));
}

export interface InboundOutcome {
  status: Exclude<InboundMailStatus, 'received'>;
  reasonCode?: string | null;
  reason?: string | null;
  caseId?: string | null;
  messageId?: string | null;
}

export interface InboundFacts {
  fromAddress: string | null;
  subject: string | null;
  messageIdHeader: string | null;
  authResults: JsonObject | null;
}

export async function finishInboundMail(tx: Db, id: string, outcome: InboundOutcome, facts: InboundFacts): Promise<void> {
  await tx
    .updateTable('inbound_mail')
    .set({
      status: outcome.status,
      reason_code: outcome.reasonCode?.slice(0, 100) ?? null,
      reason: outcome.reason?.slice(0, 1000) ?? null,
      case_id: outcome.caseId ?? null,
      message_id: outcome.messageId ?? null,
      from_address: facts.fromAddress?.slice(0, 512) ?? null,
      subject: facts.subject?.slice(0, 1000) ?? null,
      message_id_header: facts.messageIdHeader?.slice(0, 998) ?? null,
      auth_results: facts.authResults === null ? null : JSON.stringify(facts.authResults),
      processed_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .execute();
}

/** What a processed message leaves behind besides its case message, written with its status in one statement. */
export interface ProcessedRecord {
  workspaceId: string;
  caseId: string;
  messageId: string;
  messageIdHeader: string;
  html: string | null;
  htmlTruncated: boolean;
  headers: Record<string, string>;
  participants: { address: string; name: string; role: 'cc' | 'from' }[];
}

/** Thrown when a copy of the same message was recorded by another processor meanwhile (retried: then a duplicate). */
export class ConcurrentDuplicateError extends Error {
  constructor(messageIdHeader: string) {
    super(`Message-ID ${messageIdHeader} was recorded by another processor at the same time`);
    this.name = 'ConcurrentDuplicateError';
  }
}

/**
 * Marks a message processed and records, in one round trip: its Message-ID for threading (step
 * 2), its sanitized HTML and header fields, and the case's new CC participants. If the
 * Message-ID was recorded meanwhile by a concurrent copy of the message (the unique key makes
 * this insert wait for it), the whole transaction is refused; the retry then finds a duplicate.
 */
export async function completeInboundMail(
  tx: Db,
  id: string,
  outcome: InboundOutcome,
  facts: InboundFacts,
  record: ProcessedRecord,
): Promise<void> {
  const participants = JSON.stringify(
    record.participants
      .filter((p) => p.address.length >= 3 && p.address.length <= 254)
      .map((p) => ({ address: p.address.toLowerCase(), name: p.name.slice(0, 200) || null, role: p.role })),
  );
  const result = await sql<{ recorded: number }>`
    with own_id as (
      insert into email_message_ids (workspace_id, message_id_header, case_id, direction)
      values (${record.workspaceId}, ${record.messageIdHeader.slice(0, 998)}, ${record.caseId}, 'inbound')
      on conflict (workspace_id, message_id_header) do nothing
      returning 1
    ), body as (
      insert into email_message_bodies (message_id, workspace_id, inbound_mail_id, html, html_truncated, headers)
      values (${record.messageId}, ${record.workspaceId}, ${id}, ${record.html}, ${record.htmlTruncated}, ${JSON.stringify(record.headers)}::jsonb)
      on conflict (message_id) do nothing
      returning 1
    ), participants as (
      insert into email_case_participants (workspace_id, case_id, address, name, role)
      select ${record.workspaceId}, ${record.caseId}, p.address, p.name, p.role
        from jsonb_to_recordset(${participants}::jsonb) as p(address text, name text, role text)
      on conflict (case_id, address) do nothing
      returning 1
    ), done as (
      update inbound_mail
         set status = ${outcome.status}, reason_code = null, reason = null, case_id = ${record.caseId}, message_id = ${record.messageId},
             from_address = ${facts.fromAddress?.slice(0, 512) ?? null}, subject = ${facts.subject?.slice(0, 1000) ?? null},
             message_id_header = ${facts.messageIdHeader?.slice(0, 998) ?? null},
             auth_results = ${facts.authResults === null ? null : JSON.stringify(facts.authResults)}::jsonb, processed_at = now()
       where id = ${id}
      returning 1
    )
    select (select count(*) from own_id)::int as recorded, (select count(*) from body) + (select count(*) from participants) + (select count(*) from done) as written`.execute(
    tx,
  );
  if (Number(result.rows[0]?.recorded ?? 0) === 0) throw new ConcurrentDuplicateError(record.messageIdHeader);
}

/**
 * A processing attempt threw (its transaction is already rolled back): count it, and after
 * MAX_ATTEMPTS quarantine the message with the error, so one poisonous message cannot block or
 * loop forever. Returns the status the row has now.
 */
export async function recordProcessingFailure(db: Db, id: string, message: string): Promise<InboundMailStatus | null> {
  const row = await db
    .updateTable('inbound_mail')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      status: sql<InboundMailStatus>`case when attempts + 1 >= ${MAX_ATTEMPTS} then 'quarantined' else status end`,
      reason_code: sql<string | null>`case when attempts + 1 >= ${MAX_ATTEMPTS} then 'mail.processing_failed' else reason_code end`,
      reason: sql<string | null>`case when attempts + 1 >= ${MAX_ATTEMPTS} then ${message.slice(0, 1000)} else reason end`,
      processed_at: sql<Date | null>`case when attempts + 1 >= ${MAX_ATTEMPTS} then now() else processed_at end`,
    }))
    .where('id', '=', id)
    .where('status', '=', 'received')
    .returning('status')
    .executeTakeFirst();
  return row?.status ?? null;
}

export interface MailboxRow {
  id: string;
  workspace_id: string;
  address: string;
  name: string;
  team_id: string | null;
  category: 'billing' | 'payment' | 'dispute' | 'refund' | 'technical' | 'general';
  language: string;
  acknowledge: boolean;
  ack_subject: string | null;
  ack_body: string | null;
}

/** Every mailbox of these workspaces (inactive ones too: their reply addresses still thread). */
export async function loadMailboxesOf(db: Db, workspaceIds: string[]): Promise<Map<string, MailboxRow[]>> {
  const result = new Map<string, MailboxRow[]>();
  const ids = [...new Set(workspaceIds)];
  if (ids.length === 0) return result;
  const rows = await db
    .selectFrom('mailboxes')
    .select(['id', 'workspace_id', 'address', 'name', 'team_id', 'category', 'language', 'acknowledge', 'ack_subject', 'ack_body'])
    .where('workspace_id', 'in', ids)
    .execute();
  for (const row of rows) {
    const list = result.get(row.workspace_id) ?? [];
    list.push(row);
    result.set(row.workspace_id, list);
  }
  return result;
}
