import crypto from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { AppContext } from '../../../context.js';
import type { Db } from '../../../db/database.js';
import { readAttachments } from '../../files/service.js';
import type { OutboundMailRow } from './store.js';

/** Builds the RFC 5322 message of one outbound_mail row: what is stored in `raw` and sent byte for byte. */

export const LOOP_HEADER = 'X-Baton-Loop';

/**
 * Value of the loop header on all mail Baton sends: a token of this installation, derived from
 * its secret (it identifies the instance without revealing anything), so an inbound message
 * carrying it is recognisably our own mail coming back.
 */
export function loopHeaderValue(secret: string): string {
  return crypto.createHmac('sha256', secret).update('x-baton-loop').digest('hex').slice(0, 24);
}

export async function composeOutboundMail(ctx: AppContext, db: Db, row: OutboundMailRow, date = new Date()): Promise<Buffer> {
  const files = await readAttachments(ctx, db, row.workspace_id, row.attachment_ids);
  const headers: Record<string, string> = { [LOOP_HEADER]: loopHeaderValue(ctx.secret) };
  if (row.auto_submitted) {
    // RFC 3834: automatic mail says so, and asks Exchange-style servers not to answer it automatically.
    headers['Auto-Submitted'] = row.auto_submitted;
    headers['X-Auto-Response-Suppress'] = 'All';
  }
  const composer = new MailComposer({
    from: row.from_address,
    to: row.to_addresses,
    ...(row.cc_addresses.length > 0 ? { cc: row.cc_addresses } : {}),
    ...(row.reply_to ? { replyTo: row.reply_to } : {}),
    subject: row.subject,
    messageId: `<${row.message_id_header}>`,
    ...(row.in_reply_to ? { inReplyTo: `<${row.in_reply_to}>` } : {}),
    ...(row.references_header ? { references: row.references_header.split(' ').map((id) => `<${id}>`) } : {}),
    date,
    text: row.body_text,
    ...(row.body_html !== null ? { html: row.body_html } : {}),
    attachments: files.map((file) => ({ filename: file.filename, content: file.bytes, contentType: file.content_type })),
    headers,
    newline: 'win',
    // Content comes from Buffers only: never let a value be read from a path or fetched from a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return composer.compile().build();
}
