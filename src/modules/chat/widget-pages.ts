import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppContext } from '../../context.js';
import type { ApiApp } from '../../http/server.js';
import { findActiveSiteByKey } from './site-store.js';

/**
 * The widget's pages outside /api/v1: the loader script sites embed (`/chat/widget.js`), the frame
 * it opens (`/chat/frame/<site key>`) and the frame's script. The scripts are built from web/
 * into dist/widget (loader.js, frame.js); until then these answer 404. The frame may be embedded
 * only by the site's allowed origins (CSP frame-ancestors), which is what keeps other sites from
 * framing a site's chat.
 */
const WIDGET_DIST = ['../../../dist/widget', '../../../../dist/widget']
  .map((rel) => path.resolve(path.dirname(fileURLToPath(import.meta.url)), rel))
  .find((dir) => fs.existsSync(dir));

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function chatWidgetPages(app: ApiApp, ctx: AppContext): void {
  const options = { config: { access: 'public' as const }, schema: { hide: true } };

  function script(name: string) {
    return async (_request: unknown, reply: import('fastify').FastifyReply) => {
      const file = WIDGET_DIST ? path.join(WIDGET_DIST, name) : undefined;
      if (!file || !fs.existsSync(file)) return reply.code(404).type('text/plain').send('The chat widget is not built (npm run build)');
      return reply
        .type('text/javascript; charset=utf-8')
        .header('Cache-Control', 'public, max-age=300')
        .header('Cross-Origin-Resource-Policy', 'cross-origin')
        .send(fs.readFileSync(file));
    };
  }

  // The server's X-Frame-Options: DENY (set before this scope's hooks run) would forbid every
  // embedding of the frame; its CSP frame-ancestors decides instead.
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.routeOptions.url === '/chat/frame/:siteKey') reply.removeHeader('X-Frame-Options');
    return payload;
  });

  app.get('/chat/widget.js', options, script('loader.js'));
  app.get('/chat/assets/frame.js', options, script('frame.js'));

  app.get<{ Params: { siteKey: string } }>('/chat/frame/:siteKey', options, async (request, reply) => {
    const site = await findActiveSiteByKey(ctx.db, request.params.siteKey);
    if (!site) return reply.code(404).type('text/plain').send('Unknown chat site');
    const ancestors = ["'self'", ...site.allowed_origins].join(' ');
    return reply
      .type('text/html; charset=utf-8')
      .header(
        'Content-Security-Policy',
        `default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ${ctx.config.publicUrl.replace(/^http/, 'ws')}; frame-ancestors ${ancestors}; base-uri 'none'; form-action 'none'`,
      )
      .send(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
          `<title>${escapeHtml(site.name)}</title></head><body>` +
          `<div id="baton-chat" data-site="${escapeHtml(site.site_key)}" data-colour="${escapeHtml(site.colour)}"` +
          // The frame accepts postMessage (identity tokens) only from these origins.
          ` data-origins="${escapeHtml(site.allowed_origins.join(' '))}"></div>` +
          `<script src="/chat/assets/frame.js" type="module"></script></body></html>`,
      );
  });
}
