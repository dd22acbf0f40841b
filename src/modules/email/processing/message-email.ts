import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { notFound } from '../../../platform/errors.js';
import { readInstanceSecret } from '../../../platform/secrets.js';
import { getMessage } from '../../cases/service.js';
import { embeddedImagePath } from '../../files/service.js';
import { hasRemoteImages, rewriteCidSources } from '../parse/html.js';
import { selectMessageBody } from './processing-store.js';
import type { MessageEmailView } from './views.js';

/**
 * The email side of a received case message, for the agent's "show original" view: the
 * sanitized HTML (inline `cid:` images pointing to the message's own signed attachment links),
 * addresses, date, authentication results and header fields. Whoever may read the case may read
 * this (cases' getMessage decides); anything else is 404.
 */

type Address = { address: string; name: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function addressOf(value: unknown): Address | null {
  if (!isRecord(value) || typeof value.address !== 'string') return null;
  return { address: value.address, name: typeof value.name === 'string' ? value.name : '' };
}

function addressesOf(value: unknown): Address[] {
  return Array.isArray(value) ? value.map(addressOf).filter((a): a is Address => a !== null) : [];
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function authOf(value: unknown): MessageEmailView['auth'] {
  if (!isRecord(value)) return null;
  const verdict = value.verdict === 'pass' || value.verdict === 'fail' ? value.verdict : 'none';
  return { spf: text(value.spf) ?? 'none', dkim: text(value.dkim) ?? 'none', dmarc: text(value.dmarc) ?? 'none', verdict };
}

export async function getMessageEmail(db: Db, actor: Actor, messageId: string): Promise<MessageEmailView> {
  const { message } = await getMessage(db, actor, messageId);
  const email = message.metadata.email;
  if (!isRecord(email) || typeof email.inbound_mail_id !== 'string' || email.bounce !== undefined) throw notFound('message_email');
  const body = await selectMessageBody(db, actor.workspaceId, message.id);
  // Only this message's own attachments can stand in for a cid: reference; they are served for
  // embedding (the frame showing the HTML is sandboxed, so its origin is opaque).
  const secret = await readInstanceSecret(db);
  const urls = new Map(message.attachments.map((a) => [a.id, embeddedImagePath(secret, a.id)]));
  const cidMap = isRecord(email.cid_map) ? email.cid_map : {};
  const resolve = (cid: string): string | null => {
    const id = cidMap[cid] ?? cidMap[cid.replace(/^<|>$/g, '')];
    return typeof id === 'string' ? (urls.get(id) ?? null) : null;
  };
  const html = body?.html ? rewriteCidSources(body.html, resolve) : null;
  return {
    message_id: message.id,
    html,
    html_truncated: body?.html_truncated ?? false,
    has_remote_images: html !== null && hasRemoteImages(html),
    from: addressOf(email.from),
    to: addressesOf(email.to),
    cc: addressesOf(email.cc),
    reply_to: addressesOf(email.reply_to),
    subject: text(email.subject),
    date: text(email.date),
    message_id_header: text(email.message_id),
    auth: authOf(email.auth),
    headers: body?.headers ?? {},
  };
}
