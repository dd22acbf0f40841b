import { Type } from 'typebox';
import type { AppContext } from '../../context.js';
import { agentOf } from '../../http/authenticate.js';
import { Closed, IdempotencyHeaders, Page, PageQuery, Uuid } from '../../http/schemas.js';
import type { ApiApp } from '../../http/server.js';
import { changeMyPassword, getAgent, listAgents, setMyPresence, updateAgent, updateMe } from './agents.js';
import { inviteAgent } from './invitations.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwords.js';
import { IdParams, idempotencyOf, NoContent } from './route-helpers.js';
import { AGENT_ROLES, AGENT_STATUSES, AgentSchema, PRESENCES } from './views.js';

const AgentName = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
/** BCP 47-ish language tags (en, de-CH, zh-Hant-TW). */
const Locale = Type.String({ minLength: 2, maxLength: 35, pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$' });

export function agentDirectoryRoutes(app: ApiApp, ctx: AppContext): void {
  app.get(
    '/agents',
    {
      schema: {
        tags: ['agents'],
        summary: 'List agents of the workspace',
        querystring: Closed({ ...PageQuery, status: Type.Optional(Type.Enum([...AGENT_STATUSES])), team_id: Type.Optional(Uuid) }),
        response: { 200: Page(AgentSchema) },
      },
    },
    async (request) => listAgents(ctx.db, agentOf(request), request.query),
  );

  app.get(
    '/agents/:id',
    { schema: { tags: ['agents'], summary: 'One agent', params: IdParams, response: { 200: AgentSchema } } },
    async (request) => getAgent(ctx.db, agentOf(request), request.params.id),
  );

  app.patch(
    '/agents/:id',
    {
      schema: {
        tags: ['agents'],
        summary: 'Change an agent (admin): name, role, capacity, deactivate or reactivate',
        params: IdParams,
        body: Closed({
          name: Type.Optional(AgentName),
          role: Type.Optional(Type.Enum([...AGENT_ROLES])),
          capacity: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000, description: 'Open cases round-robin may give this agent' })),
          status: Type.Optional(Type.Enum(['active', 'deactivated'])),
        }),
        response: { 200: AgentSchema },
      },
    },
    async (request) => updateAgent(ctx.db, agentOf(request), request.params.id, request.body),
  );

  app.post(
    '/agents/invitations',
    {
      schema: {
        tags: ['agents'],
        summary: 'Invite an agent (admin); the invite URL is shown once',
        headers: IdempotencyHeaders,
        body: Closed({
          email: Type.String({ format: 'email', minLength: 3, maxLength: 254 }),
          name: AgentName,
          role: Type.Enum([...AGENT_ROLES]),
        }),
        response: {
          201: Type.Object({
            agent: AgentSchema,
            invite_url: Type.Union([Type.String(), Type.Null()], {
              description: 'Holds the secret token; null when an Idempotency-Key replay answers',
            }),
          }),
        },
      },
    },
    async (request, reply) => {
      const result = await inviteAgent(ctx.db, agentOf(request), request.body, {
        publicUrl: ctx.config.publicUrl,
        idempotency: idempotencyOf(request),
      });
      return reply.code(201).send(result.body);
    },
  );

  app.get('/me', { schema: { tags: ['me'], summary: 'The signed-in agent', response: { 200: AgentSchema } } }, async (request) => {
    const actor = agentOf(request);
    return getAgent(ctx.db, actor, actor.agentId);
  });

  app.patch(
    '/me',
    {
      schema: {
        tags: ['me'],
        summary: 'Change your name or language',
        body: Closed({ name: Type.Optional(AgentName), locale: Type.Optional(Locale) }),
        response: { 200: AgentSchema },
      },
    },
    async (request) => updateMe(ctx.db, agentOf(request), request.body),
  );

  app.put(
    '/me/password',
    {
      schema: {
        tags: ['me'],
        summary: 'Change your password (signs out your other sessions)',
        body: Closed({
          current_password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH }),
          new_password: Type.String({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH }),
        }),
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      await changeMyPassword(ctx.db, agentOf(request), request.sessionId, request.body);
      return reply.code(204).send(null);
    },
  );

  app.put(
    '/me/presence',
    {
      schema: {
        tags: ['me'],
        summary: 'Set your presence (online and away agents receive cases by round-robin)',
        body: Closed({ presence: Type.Enum([...PRESENCES]) }),
        response: { 200: AgentSchema },
      },
    },
    async (request) => setMyPresence(ctx.db, agentOf(request), request.body.presence),
  );
}
