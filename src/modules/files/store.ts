import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { authorize, workspaceScope, type Permission } from '../../platform/authorization.js';

/** SQL of the files module: the attachments table. */

export interface AttachmentRow {
  id: string;
  workspace_id: string;
  message_id: string | null;
  sha256: string;
  size_bytes: number;
  filename: string;
  content_type: string;
  created_at: Date;
}

export async function insertAttachment(
  db: Db,
  workspaceId: string,
  file: { sha256: string; size_bytes: number; filename: string; content_type: string },
): Promise<AttachmentRow> {
  return db
    .insertInto('attachments')
    .values({ workspace_id: workspaceId, message_id: null, ...file })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * What attaching needs: the message itself was already authorized by the cases module (which
 * calls this inside its transaction), so here an agent needs to be able to reply, and a customer
 * only acts inside their own workspace (the web form or their status link).
 */
function attachPermission(actor: Actor): Permission {
  return actor.kind === 'customer' ? 'webform.submit' : 'case.reply';
}

/**
 * Sets message_id on still-unattached attachments of the actor's workspace. Returns the ids that
 * were attached; the caller compares with what it asked for.
 */
export async function attachToMessage(db: Db, actor: Actor, attachmentIds: string[], messageId: string): Promise<string[]> {
  authorize(actor, attachPermission(actor), { workspaceId: actor.workspaceId, type: 'attachment' });
  const workspaceId = workspaceScope(actor);
  const rows = await db
    .updateTable('attachments')
    .set({ message_id: messageId })
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', attachmentIds)
    .where('message_id', 'is', null)
    // Defence in depth: the message must be of the same workspace (a foreign key alone would not say so).
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('messages')
          .select('messages.id')
          .where('messages.id', '=', messageId)
          .where('messages.workspace_id', '=', workspaceId),
      ),
    )
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Attachments of the given messages in one query. A customer (status link) sees only attachments
 * of public messages of their own case, enforced here rather than trusted from the caller.
 */
export async function listByMessageIds(db: Db, actor: Actor, messageIds: string[]): Promise<AttachmentRow[]> {
  if (actor.kind === 'customer') {
    authorize(actor, 'status_link.read', {
      workspaceId: actor.workspaceId,
      type: 'case',
      caseId: actor.caseId,
      customerId: actor.customerId,
    });
  } else {
    authorize(actor, 'case.read', { workspaceId: actor.workspaceId, type: 'attachment' });
  }
  if (messageIds.length === 0) return [];
  let query = db
    .selectFrom('attachments')
    .selectAll('attachments')
    .where('attachments.workspace_id', '=', workspaceScope(actor))
    .where('attachments.message_id', 'in', messageIds);
  if (actor.kind === 'customer') {
    query = query
      .innerJoin('messages', 'messages.id', 'attachments.message_id')
      .where('messages.case_id', '=', actor.caseId!)
      .where('messages.visibility', '=', 'public');
  }
  return query.orderBy('attachments.created_at').orderBy('attachments.id').execute();
}

/**
 * One attachment by id, for the signed download route: the HMAC signature over the id is the
 * authorization (single-purpose, expiring), so there is no actor here by design.
 */
export async function findAttachmentForSignedDownload(db: Db, attachmentId: string): Promise<AttachmentRow | undefined> {
  return db.selectFrom('attachments').selectAll().where('id', '=', attachmentId).executeTakeFirst();
}
