import { sql } from 'kysely';
import type { Db } from '../../../db/database.js';
import type { CaseCategory } from '../../cases/schema.js';
import { baseAddress } from '../reply-address.js';

/** What a reply needs from the email module's own tables: the sending mailbox and the case's CC participants. */

export interface ReplyMailbox {
  id: string;
  address: string;
  name: string;
}

/**
 * The mailbox a reply goes out from: the one the customer's latest email came in on (when still
 * active), else an active mailbox of the case's category, else the workspace's oldest active
 * mailbox. Undefined when the workspace has no active mailbox.
 */
export async function findReplyMailbox(
  db: Db,
  workspaceId: string,
  preference: { mailboxId: string | null; category: CaseCategory },
): Promise<ReplyMailbox | undefined> {
  const preferred = preference.mailboxId ?? '00000000-0000-0000-0000-000000000000';
  return db
    .selectFrom('mailboxes')
    .select(['id', 'address', 'name'])
    .where('workspace_id', '=', workspaceId)
    .where('active', '=', true)
    .orderBy(sql`(id = ${preferred}::uuid)`, 'desc')
    .orderBy(sql`(category = ${preference.category})`, 'desc')
    .orderBy('created_at')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
}

const MAX_CC = 20;

/**
 * Addresses taking part in the case besides the customer, oldest first, without the workspace's
 * own mailboxes (a reply copied to our own address would come straight back in).
 */
export async function listReplyParticipants(
  db: Db,
  workspaceId: string,
  caseId: string,
): Promise<{ address: string; name: string | null }[]> {
  // One after the other: inside the relay's transaction there is a single connection.
  const participants = await db
    .selectFrom('email_case_participants')
    .select(['address', 'name'])
    .where('workspace_id', '=', workspaceId)
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .orderBy('address')
    .limit(MAX_CC * 2)
    .execute();
  if (participants.length === 0) return [];
  const mailboxes = await db.selectFrom('mailboxes').select('address').where('workspace_id', '=', workspaceId).execute();
  const own = new Set(mailboxes.map((m) => m.address));
  return participants.filter((p) => !own.has(baseAddress(p.address))).slice(0, MAX_CC);
}
