import { Type } from 'typebox';
import type { AppContext } from '../../context.js';
import { agentOf } from '../../http/authenticate.js';
import { Closed, IdempotencyHeaders, Page, PageQuery, Uuid } from '../../http/schemas.js';
import type { ApiApp } from '../../http/server.js';
import { createApiToken, listApiTokens, revokeApiToken } from './api-tokens.js';
import { listAuditLog } from './audit-log.js';
import { IdParams, idempotencyOf, NoContent } from './route-helpers.js';
import { ApiTokenSchema, AuditEntrySchema } from './views.js';

export function adminRoutes(app: ApiApp, ctx: AppContext): void {
  app.get(
    '/api-tokens',
    {
      schema: {
        tags: ['api-tokens'],
        summary: 'API tokens of the workspace (admin)',
        querystring: Closed(PageQuery),
        response: { 200: Page(ApiTokenSchema) },
      },
    },
    async (request) => listApiTokens(ctx.db, agentOf(request), request.query),
  );

  app.post(
    '/api-tokens',
    {
      schema: {
        tags: ['api-tokens'],
        summary: 'Create an API token (admin); the secret is shown once',
        headers: IdempotencyHeaders,
        body: Closed({
          name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
          agent_id: Type.Optional(Type.String({ format: 'uuid', description: 'The agent the token acts as; defaults to you' })),
          expires_at: Type.Optional(Type.String({ format: 'date-time', maxLength: 40 })),
        }),
        response: {
          201: Type.Object({
            api_token: ApiTokenSchema,
            secret: Type.Union([Type.String(), Type.Null()], {
              description: 'Send as `Authorization: Bearer <secret>`; null when an Idempotency-Key replay answers',
            }),
          }),
        },
      },
    },
    async (request, reply) => {
      const result = await createApiToken(ctx.db, agentOf(request), request.body, idempotencyOf(request));
      return reply.code(201).send(result.body);
    },
  );

  app.delete(
    '/api-tokens/:id',
    { schema: { tags: ['api-tokens'], summary: 'Revoke an API token (admin)', params: IdParams, response: { 204: NoContent } } },
    async (request, reply) => {
      await revokeApiToken(ctx.db, agentOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/audit-log',
    {
      schema: {
        tags: ['audit'],
        summary: 'The audit log, newest first (supervisors and admins)',
        querystring: Closed({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
          cursor: PageQuery.cursor,
          action: Type.Optional(Type.String({ maxLength: 100 })),
          target_type: Type.Optional(Type.String({ maxLength: 50 })),
          target_id: Type.Optional(Uuid),
        }),
        response: { 200: Page(AuditEntrySchema) },
      },
    },
    async (request) => listAuditLog(ctx.db, agentOf(request), request.query),
  );
}
