import { sql } from 'kysely';
import type { Db } from '../../../db/database.js';

/**
 * SQL of inbound processing on the email module's own tables (Message-ID map, CC participants,
 * stored HTML bodies), each scoped by the workspace the message belongs to.
 */

export interface KnownMessageId {
  caseId: string;
  direction: 'inbound' | 'outbound';
}

export async function isCaseParticipant(db: Db, workspaceId: string, caseId: string, address: string): Promise<boolean> {
  const row = await db
    .selectFrom('email_case_participants')
    .select('address')
    .where('workspace_id', '=', workspaceId)
    .where('case_id', '=', caseId)
    .where('address', '=', address.toLowerCase())
    .executeTakeFirst();
  return row !== undefined;
}

export async function selectMessageBody(
  db: Db,
  workspaceId: string,
  messageId: string,
): Promise<{ html: string | null; html_truncated: boolean; headers: Record<string, string> } | undefined> {
  return db
    .selectFrom('email_message_bodies')
    .select(['html', 'html_truncated', 'headers'])
    .where('workspace_id', '=', workspaceId)
    .where('message_id', '=', messageId)
    .executeTakeFirst();
}

/**
 * The two counters of the automatic-mail policy in one query: inbound messages the case got in
 * the last 10 minutes (capped, it only needs to know "more than 10"), and whether this address
 * got an automatic mail of `kind` in the last 24 hours.
 */
export async function automaticMailCounters(
  db: Db,
  input: { workspaceId: string; caseId: string | null; address: string; kind: string | null },
): Promise<{ recentCaseMessages: number; recentlySent: boolean }> {
  const caseCount = input.caseId
    ? sql<number>`(select count(*)::int from (select 1 from email_message_ids
          where case_id = ${input.caseId} and workspace_id = ${input.workspaceId} and direction = 'inbound'
            and created_at > now() - interval '10 minutes' limit 11) recent)`
    : sql<number>`0`;
  const sent = input.kind
    ? sql<boolean>`exists (select 1 from email_auto_replies
          where workspace_id = ${input.workspaceId} and address = ${input.address.toLowerCase()} and kind = ${input.kind}
            and sent_at > now() - interval '24 hours')`
    : sql<boolean>`false`;
  const result = await sql<{ recent: number; sent: boolean }>`select ${caseCount} as recent, ${sent} as sent`.execute(db);
  const row = result.rows[0]!;
  return { recentCaseMessages: Number(row.recent), recentlySent: Boolean(row.sent) };
}

export async function recordAutomaticMail(tx: Db, workspaceId: string, address: string, kind: string): Promise<void> {
  await tx.insertInto('email_auto_replies').values({ workspace_id: workspaceId, address: address.toLowerCase(), kind }).execute();
}

/** Serializes automatic-mail decisions per address, so two messages processed at once send one acknowledgement. */
export async function lockAutomaticMail(tx: Db, workspaceId: string, address: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`auto-mail:${workspaceId}:${address.toLowerCase()}`}))`.execute(tx);
}

/** Who an outbound mail went to (bare or `Name <address>` strings), by its Message-ID; null when it is not ours. */
export async function outboundRecipients(db: Db, workspaceId: string, messageIdHeader: string): Promise<string[] | null> {
  const row = await db
    .selectFrom('outbound_mail')
    .select(['to_addresses', 'cc_addresses'])
    .where('workspace_id', '=', workspaceId)
    .where('message_id_header', '=', messageIdHeader)
    .executeTakeFirst();
  return row ? [...row.to_addresses, ...row.cc_addresses] : null;
}
