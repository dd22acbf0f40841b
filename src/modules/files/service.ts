import fs from 'node:fs/promises';
import type { AppContext } from '../../context.js';
import { inTransaction, type Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { unprocessable } from '../../platform/errors.js';
import { readInstanceSecret } from '../../platform/secrets.js';
import { signExpiring } from '../../platform/tokens.js';
import { sniffContentType } from './content-type.js';
import { cleanFilename } from './filename.js';
import { insertAttachment, attachToMessage, findAttachmentForSignedDownload, listByMessageIds, type AttachmentRow } from './store.js';
import { contentPath, writeContent } from './storage.js';

/** The files module's API to other modules (ARCHITECTURE.md, module API table). */

export interface StoredAttachment {
  id: string;
  filename: string;
  content_type: string;
  size_bytes: number;
}

export interface AttachmentView extends StoredAttachment {
  /** Signed download link relative to the Baton base URL (`/files/...`), valid for one hour. */
  url: string;
}

/** An upload whose bytes are safely on disk but which has no database row yet. */
export interface PreparedUpload {
  sha256: string;
  size_bytes: number;
  filename: string;
  content_type: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DEFAULT_LINK_SECONDS = 60 * 60;

const view = (row: AttachmentRow): StoredAttachment => ({
  id: row.id,
  filename: row.filename,
  content_type: row.content_type,
  size_bytes: row.size_bytes,
});

/**
 * Writes the bytes to content-addressed storage and decides type and name; no database write.
 * Callers that need the row inside their own transaction (the web form) prepare first, outside
 * the transaction, then `recordUpload` with the transaction.
 */
export async function prepareUpload(ctx: AppContext, input: { filename: string; bytes: Buffer }): Promise<PreparedUpload> {
  const content_type = await sniffContentType(input.bytes);
  const sha256 = await writeContent(ctx.filesDir, input.bytes);
  return { sha256, size_bytes: input.bytes.length, filename: cleanFilename(input.filename), content_type };
}

/** The attachments row of a prepared upload; message_id stays NULL until attachFilesToMessage. */
export async function recordUpload(db: Db, workspaceId: string, prepared: PreparedUpload): Promise<StoredAttachment> {
  return view(await insertAttachment(db, workspaceId, prepared));
}

/** Stores one uploaded file: bytes on disk first, then its (unattached) attachments row. */
export async function storeUpload(
  ctx: AppContext,
  input: { workspaceId: string; filename: string; bytes: Buffer },
  db: Db = ctx.db,
): Promise<StoredAttachment> {
  const prepared = await prepareUpload(ctx, input);
  return recordUpload(db, input.workspaceId, prepared);
}

/**
 * Attaches uploaded files to a message. Only unattached attachments of the actor's workspace
 * qualify; anything else (unknown, foreign, already attached) refuses the whole set with 422.
 */
export async function attachFilesToMessage(db: Db, actor: Actor, attachmentIds: string[], messageId: string): Promise<void> {
  const wanted = [...new Set(attachmentIds)];
  if (wanted.length === 0) return;
  const invalid = wanted.filter((id) => !UUID.test(id));
  if (invalid.length > 0 || !UUID.test(messageId)) {
    throw unprocessable('attachment.not_attachable', 'Some attachments do not exist, belong elsewhere or are already attached', {
      attachment_ids: invalid,
    });
  }
  await inTransaction(db, async (tx) => {
    const attached = await attachToMessage(tx, actor, wanted, messageId);
    if (attached.length !== wanted.length) {
      const missing = wanted.filter((id) => !attached.includes(id));
      // Throwing rolls back the partial update (inside the caller's transaction too).
      throw unprocessable('attachment.not_attachable', 'Some attachments do not exist, belong elsewhere or are already attached', {
        attachment_ids: missing,
      });
    }
  });
}

/**
 * Attachments per message id, fetched in one query (no N+1 on conversation lists), each with a
 * signed download link. The signing secret is the installation's (the same one ctx.secret holds),
 * read from the database because callers pass no context.
 */
export async function listAttachmentsForMessages(db: Db, actor: Actor, messageIds: string[]): Promise<Map<string, AttachmentView[]>> {
  const ids = [...new Set(messageIds)].filter((id) => UUID.test(id));
  const result = new Map<string, AttachmentView[]>();
  const rows = await listByMessageIds(db, actor, ids);
  if (rows.length === 0) return result;
  const secret = await readInstanceSecret(db);
  const expiresAt = new Date(Date.now() + DEFAULT_LINK_SECONDS * 1000);
  for (const row of rows) {
    const messageId = row.message_id!;
    const list = result.get(messageId) ?? [];
    list.push({ ...view(row), url: signedFilePath(secret, row.id, { filename: row.filename, expiresAt }) });
    result.set(messageId, list);
  }
  return result;
}

export interface SignedUrlOptions {
  /** Cosmetic last path segment, so the browser shows a sensible name; the stored name is what is served. */
  filename?: string;
  /** Default: one hour from now. */
  expiresAt?: Date;
}

/** The signed part of a download link: single-purpose (`file:`), expiring. */
export function fileSignature(secret: string, attachmentId: string, expiresAt: Date): string {
  return signExpiring(secret, `file:${attachmentId}`, expiresAt);
}

/** `/files/<id>/<name>?sig=...`, for links on Baton's own pages and in API responses. */
export function signedFilePath(secret: string, attachmentId: string, options: SignedUrlOptions = {}): string {
  const expiresAt = options.expiresAt ?? new Date(Date.now() + DEFAULT_LINK_SECONDS * 1000);
  const name = options.filename ? `/${encodeURIComponent(options.filename)}` : '';
  return `/files/${attachmentId}${name}?sig=${fileSignature(secret, attachmentId, expiresAt)}`;
}

/**
 * `/files/<id>?embed=...`: a link for showing an inline email image inside the agent app's
 * sandboxed frame (served inline and cross-origin, raster images only). Valid for one hour.
 */
export function embeddedImagePath(secret: string, attachmentId: string, expiresAt?: Date): string {
  const exp = expiresAt ?? new Date(Date.now() + DEFAULT_LINK_SECONDS * 1000);
  return `/files/${attachmentId}?embed=${signExpiring(secret, `file-embed:${attachmentId}`, exp)}`;
}

/** An absolute download link (for emails and other channels), valid for one hour unless told otherwise. */
export function signedFileUrl(ctx: AppContext, attachmentId: string, options: SignedUrlOptions = {}): string {
  return `${ctx.config.publicUrl}${signedFilePath(ctx.secret, attachmentId, options)}`;
}

/**
 * Attachments of a workspace by id, in the order asked, without their bytes (the sent-mail viewer
 * lists what a message carried). Unknown ids and ids of another workspace are left out. Outgoing
 * mail carries a handful of files, so one lookup per id is fine here.
 */
export async function describeAttachments(db: Db, workspaceId: string, ids: string[]): Promise<StoredAttachment[]> {
  const result: StoredAttachment[] = [];
  for (const id of [...new Set(ids)].filter((i) => UUID.test(i))) {
    const row = await findAttachmentForSignedDownload(db, id);
    if (row && row.workspace_id === workspaceId) result.push(view(row));
  }
  return result;
}

/**
 * The bytes of attachments, for composing outgoing mail. All or nothing: an id that is unknown,
 * of another workspace, or whose content is missing from storage throws
 * `attachment.content_missing` (mail must not silently go out without a file the agent attached).
 */
export async function readAttachments(
  ctx: AppContext,
  db: Db,
  workspaceId: string,
  ids: string[],
): Promise<{ id: string; filename: string; content_type: string; bytes: Buffer }[]> {
  const result = [];
  for (const id of [...new Set(ids)]) {
    const row = UUID.test(id) ? await findAttachmentForSignedDownload(db, id) : undefined;
    if (!row || row.workspace_id !== workspaceId) {
      throw unprocessable('attachment.content_missing', 'An attachment no longer exists', { attachment_ids: [id] });
    }
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(contentPath(ctx.filesDir, row.sha256));
    } catch {
      throw unprocessable('attachment.content_missing', `The stored file of attachment ${row.filename} is missing`, {
        attachment_ids: [id],
      });
    }
    result.push({ id, filename: row.filename, content_type: row.content_type, bytes });
  }
  return result;
}
