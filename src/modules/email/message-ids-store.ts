import type { Db } from '../../db/database.js';

/**
 * Threading step 2: every Message-ID Baton sent or received, mapped to its case. Written by
 * intake (inbound) and by the outbound queue (outbound); read when a reply arrives.
 */
export async function recordMessageIds(
  tx: Db,
  input: { workspaceId: string; caseId: string; messageIds: string[]; direction: 'inbound' | 'outbound' },
): Promise<void> {
  const ids = [...new Set(input.messageIds.map((id) => id.trim()).filter((id) => id.length > 0 && id.length <= 998))];
  if (ids.length === 0) return;
  await tx
    .insertInto('email_message_ids')
    .values(
      ids.map((id) => ({ workspace_id: input.workspaceId, message_id_header: id, case_id: input.caseId, direction: input.direction })),
    )
    .onConflict((oc) => oc.columns(['workspace_id', 'message_id_header']).doNothing())
    .execute();
}

/**
 * The case the newest of these ids belongs to (In-Reply-To first, then References from the end),
 * or null. Ids are compared exactly, without angle brackets.
 */
export async function findCaseByMessageIds(db: Db, workspaceId: string, idsInPreferenceOrder: string[]): Promise<string | null> {
  const ids = [...new Set(idsInPreferenceOrder.filter((id) => id.length > 0 && id.length <= 998))];
  if (ids.length === 0) return null;
  const rows = await db
    .selectFrom('email_message_ids')
    .select(['message_id_header', 'case_id'])
    .where('workspace_id', '=', workspaceId)
    .where('message_id_header', 'in', ids.slice(0, 100))
    .execute();
  const byId = new Map(rows.map((r) => [r.message_id_header, r.case_id]));
  for (const id of ids) {
    const caseId = byId.get(id);
    if (caseId) return caseId;
  }
  return null;
}

/**
 * The case's Message-IDs (both directions), oldest first, at most the newest `limit`: what a reply
 * lists in References (RFC 5322 3.6.4) so the customer's mail program threads it.
 */
export async function listCaseMessageIds(db: Db, workspaceId: string, caseId: string, limit = 20): Promise<string[]> {
  const rows = await db
    .selectFrom('email_message_ids')
    .select('message_id_header')
    .where('workspace_id', '=', workspaceId)
    .where('case_id', '=', caseId)
    .orderBy('created_at', 'desc')
    .orderBy('message_id_header', 'desc')
    .limit(Math.min(Math.max(limit, 1), 100))
    .execute();
  return rows.map((r) => r.message_id_header).reverse();
}
