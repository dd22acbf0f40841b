import fs from 'node:fs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import type { ApiApp } from '../../http/server.js';
import { negotiateLocale, t, type Locale } from '../../platform/i18n/index.js';
import { verifyExpiring } from '../../platform/tokens.js';
import { renderMessagePage, sendPage } from '../webform/layout.js';
import { servedContentType } from './content-type.js';
import { attachmentDisposition } from './filename.js';
import { contentPath } from './storage.js';
import { findAttachmentForSignedDownload } from './store.js';

/** Raster images (type decided from the bytes at upload) are the only files served for embedding. */
const EMBEDDABLE_IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Signed file downloads (a page module: served at the root, not under /api/v1). The signature
 * is the authorization; every file is a download (CONVENTIONS.md, attachments): attachment
 * disposition, nosniff, active types as octet-stream and a CSP that lets nothing run.
 */
export function fileRoutes(app: ApiApp, ctx: AppContext): void {
  const download = async (request: FastifyRequest, reply: FastifyReply) => {
    const { id } = request.params as { id: string };
    const { sig, embed, lang } = request.query as { sig?: unknown; embed?: unknown; lang?: unknown };
    const locale = negotiateLocale(lang, request.headers['accept-language']);
    // An `embed` signature is a separate purpose: an inline image of an email, shown inside the
    // sandboxed (opaque-origin) frame of the agent app, so it must be loadable cross-origin.
    const embedded = typeof embed === 'string';
    const signature = embedded ? embed : sig;
    const purpose = embedded ? `file-embed:${id}` : `file:${id}`;
    const verdict = UUID.test(id) && typeof signature === 'string' ? verifyExpiring(ctx.secret, purpose, signature) : 'invalid';
    if (verdict === 'expired') return sendError(reply, locale, 410, 'file.expired_title', 'file.expired_body');
    if (verdict !== 'ok') return sendError(reply, locale, 404, 'file.not_found_title', 'file.not_found_body');
    const attachment = await findAttachmentForSignedDownload(ctx.db, id);
    if (!attachment) return sendError(reply, locale, 404, 'file.not_found_title', 'file.not_found_body');
    if (embedded && !EMBEDDABLE_IMAGES.has(attachment.content_type)) {
      return sendError(reply, locale, 404, 'file.not_found_title', 'file.not_found_body');
    }
    const file = contentPath(ctx.filesDir, attachment.sha256);
    let stream: fs.ReadStream;
    try {
      await fs.promises.access(file);
      stream = fs.createReadStream(file);
    } catch {
      request.log.error({ attachmentId: id, sha256: attachment.sha256 }, 'attachment content missing from file storage');
      return sendError(reply, locale, 404, 'file.not_found_title', 'file.not_found_body');
    }
    return reply
      .status(200)
      .header('Content-Type', servedContentType(attachment.content_type))
      .header('Content-Disposition', embedded ? 'inline' : attachmentDisposition(attachment.filename))
      .header('Content-Length', String(attachment.size_bytes))
      .header('X-Content-Type-Options', 'nosniff')
      .header('Content-Security-Policy', "default-src 'none'; sandbox")
      .header('Cross-Origin-Resource-Policy', embedded ? 'cross-origin' : 'same-origin')
      .header('Cache-Control', 'private, max-age=300')
      .send(stream);
  };
  const options = { config: { access: 'public' as const }, schema: { hide: true } };
  app.get('/files/:id', options, download);
  app.get('/files/:id/:filename', options, download);
}

function sendError(
  reply: FastifyReply,
  locale: Locale,
  status: number,
  title: 'file.expired_title' | 'file.not_found_title',
  body: 'file.expired_body' | 'file.not_found_body',
) {
  return sendPage(reply, status, renderMessagePage({ locale, title: t(locale, title), message: t(locale, body) }));
}
