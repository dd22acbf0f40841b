import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyWebsocket from '@fastify/websocket';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
  type RouteOptions,
} from 'fastify';
import { sql } from 'kysely';
import type { AppContext } from '../context.js';
import { apiModules, pageModules } from '../modules/index.js';
import { MAX_MESSAGE_BYTES } from '../modules/realtime/service.js';
import { authenticateRequest } from './authenticate.js';
import { handleError } from './error-handler.js';
import { ErrorBody } from './schemas.js';
import { buildLazySerializers } from './lazy-serializers.js';
import { validatorCompiler } from './validation.js';

/** A Fastify scope whose route schemas (TypeBox) type the handlers' request and reply. */
export type ApiApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** The built agent app: dist/web at the project root, seen from src/http or from dist/server/http. */
const WEB_DIST = ['../../dist/web', '../../../dist/web']
  .map((rel) => path.resolve(path.dirname(fileURLToPath(import.meta.url)), rel))
  .find((dir) => fs.existsSync(path.join(dir, 'index.html')));
const JSON_BODY_LIMIT = 1024 * 1024;

const ERROR_RESPONSES: Record<string, string> = {
  '400': 'Validation failed (invalid JSON, unknown field, wrong type, too long, bad cursor)',
  '401': 'Not signed in, or the API token is invalid',
  '403': 'Signed in, but the role may not do this (or the CSRF header is missing)',
  '404': 'Not found, or not visible to the caller',
  '409': 'Conflict: stale version or concurrent change',
  '422': 'The request is well-formed but breaks a business rule',
  '429': 'Too many requests; see Retry-After',
};

/** The routes of each server, as registered (tests compile every schema from them). */
const registeredRoutes = new WeakMap<object, RouteOptions[]>();

export function routesOf(app: object): RouteOptions[] {
  return registeredRoutes.get(app) ?? [];
}

export async function buildServer(ctx: AppContext): Promise<ApiApp> {
  const app = Fastify({
    loggerInstance: ctx.logger as FastifyBaseLogger,
    bodyLimit: JSON_BODY_LIMIT,
    // Fastify accepts a hop count at runtime; its types omit it.
    trustProxy: ctx.config.trustProxy as boolean | string[],
    // Per-request lines only at debug/trace: at info they would dominate the log.
    logController: new LogController({ disableRequestLogging: ctx.config.logLevel !== 'debug' && ctx.config.logLevel !== 'trace' }),
    ajv: { customOptions: { removeAdditional: false } },
    schemaController: { compilersFactory: { buildSerializer: buildLazySerializers } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Baton takes JSON (and multipart where uploads are accepted): a text/plain body is a 415, not a string.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ error: { code: 'route.not_found', message: `No route ${request.method} ${request.url.split('?')[0]}` } });
  });
  app.addSchema(ErrorBody);

  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'same-origin');
    if (!reply.hasHeader('X-Frame-Options')) reply.header('X-Frame-Options', 'DENY');
    if (request.url.startsWith('/api/')) reply.header('Cache-Control', 'no-store');
    return payload;
  });

  await app.register(fastifyCookie);
  // WebSockets (realtime agent app, chat widget): frames above the cap are closed with 1009.
  await app.register(fastifyWebsocket, { options: { maxPayload: MAX_MESSAGE_BYTES } });
  await app.register(fastifyMultipart, {
    limits: { fileSize: ctx.config.maxUploadBytes, files: 10, fields: 30, fieldSize: 200_000, parts: 40, headerPairs: 100 },
    throwFileSizeLimit: true,
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Baton API', version: '1', description: 'Customer service cases, customers, billing and channels.' },
      servers: [{ url: ctx.config.publicUrl }],
      components: {
        securitySchemes: {
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'baton_session',
            description: 'Web app session; unsafe methods also need X-CSRF-Token',
          },
          bearer: { type: 'http', scheme: 'bearer', description: 'API token (btn_...) created by an admin' },
        },
      },
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });

  const routes: RouteOptions[] = [];
  registeredRoutes.set(app, routes);
  // Every API route documents the shared error responses and its security.
  app.addHook('onRoute', (route) => {
    routes.push(route as RouteOptions);
    if (!route.url.startsWith('/api/v1') || route.url.startsWith('/api/v1/docs')) return;
    const schema = (route.schema ??= {}) as Record<string, unknown>;
    const response = (schema.response ??= {}) as Record<string, unknown>;
    for (const [status, description] of Object.entries(ERROR_RESPONSES)) {
      response[status] ??= { description, $ref: 'ErrorBody#' };
    }
    const access = (route.config as { access?: string } | undefined)?.access ?? 'agent';
    schema.security ??= access === 'public' ? [] : [{ session: [] }, { bearer: [] }];
  });

  await app.register(
    async (api) => {
      api.addHook('onRequest', authenticateRequest(ctx));
      for (const module of apiModules) {
        await api.register(async (scope) => module.routes(scope as unknown as ApiApp, ctx));
      }
      api.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
    },
    { prefix: '/api/v1' },
  );
  await app.register(fastifySwaggerUi, { routePrefix: '/api/v1/docs', uiConfig: { docExpansion: 'list' } });

  for (const module of pageModules) {
    await app.register(async (scope) => module.routes(scope as unknown as ApiApp, ctx));
  }

  app.get('/healthz', { schema: { hide: true } }, async () => {
    await sql`select 1`.execute(ctx.db);
    return { status: 'ok' };
  });

  if (WEB_DIST) {
    await app.register(fastifyStatic, { root: WEB_DIST, prefix: '/app/', index: 'index.html', wildcard: false });
    // Client-side routes of the agent app all load its index page.
    app.get('/app/*', { schema: { hide: true } }, (_request, reply) => reply.type('text/html').sendFile('index.html'));
    app.get('/app', { schema: { hide: true } }, (_request, reply) => reply.redirect('/app/'));
  }
  app.get('/', { schema: { hide: true } }, (_request, reply) => reply.redirect('/app/'));

  return app;
}
