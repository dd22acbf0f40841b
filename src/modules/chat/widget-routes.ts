import { Type } from 'typebox';
import type { AppContext } from '../../context.js';
import { Closed } from '../../http/schemas.js';
import type { ApiApp } from '../../http/server.js';
import { AppError, notFound, unauthenticated, validationError } from '../../platform/errors.js';
import { hitRateLimit } from '../../platform/rate-limit.js';
import { readMultipartForm } from '../files/multipart.js';
import { storeUpload } from '../files/service.js';
import { realtimeHubOf } from '../realtime/service.js';
import { findVisitor, recordVisitorUpload } from './conversation-store.js';
import { findActiveSiteByKey } from './site-store.js';
import { readVisitorToken } from './visitor-token.js';
import { widgetConfig } from './widget-config.js';
import { acceptVisitorSocket } from './widget-socket.js';

const tags = ['chat widget'];
const SiteQuery = Closed({ site: Type.String({ minLength: 1, maxLength: 80, description: 'The chat site key (cs_...)' }) });
const MAX_FILES = 3;
const UPLOADS_PER_VISITOR = { limit: 20, windowSeconds: 3600 };

const WidgetConfigSchema = Type.Object({
  name: Type.String(),
  colour: Type.String(),
  greeting: Type.String(),
  prechat_question: Type.String(),
  prechat_choices: Type.Array(Type.Object({ id: Type.String(), label: Type.String() })),
  require_identity: Type.Boolean(),
  online: Type.Boolean({ description: 'Within business hours and an agent online with room' }),
  open: Type.Boolean({ description: 'Within the business hours of a team the site routes to' }),
  next_open_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'Closed: the next opening' }),
  expected_wait_seconds: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], {
    description: 'Online: the median wait before an agent took a chat over the last week (null: too few chats)',
  }),
});

/**
 * The widget's public endpoints (the widget frame calls them; docs/REALTIME.md): its settings, its
 * WebSocket, and file uploads of a visitor who has a conversation.
 */
export function chatWidgetRoutes(app: ApiApp, ctx: AppContext): void {
  const hub = realtimeHubOf(ctx);

  app.get(
    '/chat/widget/config',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: "The widget's look and whether anyone is online (public)",
        querystring: SiteQuery,
        response: { 200: WidgetConfigSchema },
      },
    },
    async (request) => {
      const site = await findActiveSiteByKey(ctx.db, request.query.site);
      if (!site) throw notFound('chat_site');
      return widgetConfig(ctx, site);
    },
  );

  app.get('/chat/widget/socket', { websocket: true, config: { access: 'public' }, schema: { hide: true } }, async (socket, request) => {
    const site = (request.query as { site?: unknown }).site;
    await acceptVisitorSocket(hub, socket, request, typeof site === 'string' ? site : undefined);
  });

  app.post(
    '/chat/widget/uploads',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Upload files to send in the chat (public; X-Baton-Visitor: the visitor token)',
        consumes: ['multipart/form-data'],
        querystring: SiteQuery,
        headers: Type.Object({ 'x-baton-visitor': Type.Optional(Type.String({ maxLength: 200 })) }),
        response: {
          201: Type.Array(
            Type.Object({
              id: Type.String({ format: 'uuid' }),
              filename: Type.String(),
              content_type: Type.String(),
              size_bytes: Type.Integer(),
            }),
          ),
          413: { description: 'A file is larger than the upload limit, or too many files', $ref: 'ErrorBody#' },
        },
      },
    },
    async (request, reply) => {
      const site = await findActiveSiteByKey(ctx.db, request.query.site);
      if (!site) throw notFound('chat_site');
      const token = request.headers['x-baton-visitor'];
      const visitorId = typeof token === 'string' ? readVisitorToken(ctx.secret, site.id, token) : null;
      const visitor = visitorId ? await findVisitor(ctx.db, site.workspace_id, site.id, visitorId) : undefined;
      if (!visitor) throw unauthenticated('chat.visitor_required', 'Start a conversation before sending files');
      await hitRateLimit(ctx.db, { bucket: `upload:visitor:${visitor.id}`, ...UPLOADS_PER_VISITOR });
      const form = await readMultipartForm(request, { maxFileBytes: ctx.config.maxUploadBytes, maxFiles: MAX_FILES });
      if (form.problem) {
        throw new AppError(
          'too_large',
          'payload_too_large',
          `Send at most ${MAX_FILES} files of at most ${ctx.config.maxUploadBytes} bytes each`,
        );
      }
      if (form.files.length === 0) throw validationError('attachment.no_files', 'Send one or more files as multipart/form-data file parts');
      const stored = [];
      for (const file of form.files) {
        const upload = await storeUpload(ctx, { workspaceId: site.workspace_id, filename: file.filename, bytes: file.bytes });
        await recordVisitorUpload(ctx.db, site.workspace_id, visitor.id, upload.id);
        stored.push(upload);
      }
      return reply.code(201).send(stored);
    },
  );
}
