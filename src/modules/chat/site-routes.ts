import { Type } from 'typebox';
import type { AppContext } from '../../context.js';
import { agentOf } from '../../http/authenticate.js';
import { idempotencyRequestOf } from '../../http/idempotency-guard.js';
import { Closed, IdempotencyHeaders, Uuid } from '../../http/schemas.js';
import type { ApiApp } from '../../http/server.js';
import { CASE_CATEGORIES } from '../cases/schema.js';
import { getAgentChatSettings, setAgentChatCapacity } from './capacity.js';
import { ChatSiteSchema, ChatSiteWithSecretSchema } from './site-views.js';
import { createChatSite, deleteChatSite, getChatSite, listChatSites, rotateChatSiteSecret, updateChatSite } from './sites.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const tags = ['chat'];

const Name = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
const Origins = Type.Array(Type.String({ minLength: 8, maxLength: 300 }), { maxItems: 20, description: 'e.g. https://shop.example' });
const Colour = Type.String({ pattern: '^#[0-9A-Fa-f]{6}$', maxLength: 7 });
const Greeting = Type.String({ maxLength: 500 });
const Question = Type.String({ maxLength: 200 });
const Choices = Type.Array(
  Closed({
    id: Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z0-9_-]+$' }),
    label: Type.String({ minLength: 1, maxLength: 80, pattern: '\\S' }),
    category: Type.Enum([...CASE_CATEGORIES]),
    team_id: Type.Optional(Nullable(Uuid)),
  }),
  { maxItems: 10 },
);
const Category = Type.Enum([...CASE_CATEGORIES]);

const SiteParams = Closed({ siteId: Uuid });
const AgentParams = Closed({ agentId: Uuid });
const NoContent = Type.Null({ description: 'No content' });
const CapacitySchema = Type.Object({ agent_id: Uuid, chat_capacity: Type.Integer() });

/** Chat sites and chat capacity (admin): /api/v1/chat/sites, /api/v1/chat/agents/{agentId}/settings. */
export function chatSiteRoutes(app: ApiApp, ctx: AppContext): void {
  app.get(
    '/chat/sites',
    {
      schema: {
        tags,
        summary: 'Chat sites of the workspace (admin)',
        response: { 200: Type.Object({ items: Type.Array(ChatSiteSchema) }) },
      },
    },
    async (request) => ({ items: await listChatSites(ctx, agentOf(request)) }),
  );

  app.post(
    '/chat/sites',
    {
      schema: {
        tags,
        summary: 'Add a chat site (admin); the answer holds the embed snippet and the identity-token secret, shown only here',
        headers: IdempotencyHeaders,
        body: Closed({
          name: Name,
          allowed_origins: Type.Optional(Origins),
          colour: Type.Optional(Colour),
          greeting: Type.Optional(Greeting),
          prechat_question: Type.Optional(Question),
          prechat_choices: Type.Optional(Choices),
          team_id: Type.Optional(Nullable(Uuid)),
          category: Type.Optional(Category),
          mailbox_id: Type.Optional(Nullable(Uuid)),
          require_identity: Type.Optional(Type.Boolean()),
        }),
        response: { 201: ChatSiteWithSecretSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createChatSite(ctx, agentOf(request), request.body, idempotencyRequestOf(request))),
  );

  app.get(
    '/chat/sites/:siteId',
    { schema: { tags, summary: 'One chat site (admin)', params: SiteParams, response: { 200: ChatSiteSchema } } },
    async (request) => getChatSite(ctx, agentOf(request), request.params.siteId),
  );

  app.patch(
    '/chat/sites/:siteId',
    {
      schema: {
        tags,
        summary: 'Change a chat site (admin); active: false switches the widget off',
        params: SiteParams,
        body: Closed(
          {
            name: Type.Optional(Name),
            allowed_origins: Type.Optional(Origins),
            colour: Type.Optional(Colour),
            greeting: Type.Optional(Greeting),
            prechat_question: Type.Optional(Question),
            prechat_choices: Type.Optional(Choices),
            team_id: Type.Optional(Nullable(Uuid)),
            category: Type.Optional(Category),
            mailbox_id: Type.Optional(Nullable(Uuid)),
            require_identity: Type.Optional(Type.Boolean()),
            active: Type.Optional(Type.Boolean()),
          },
          { minProperties: 1 },
        ),
        response: { 200: ChatSiteSchema },
      },
    },
    async (request) => updateChatSite(ctx, agentOf(request), request.params.siteId, request.body),
  );

  app.post(
    '/chat/sites/:siteId/rotate-secret',
    {
      schema: {
        tags,
        summary: 'Replace the identity-token secret (admin); the previous one still verifies for 24 hours',
        params: SiteParams,
        response: { 200: ChatSiteWithSecretSchema },
      },
    },
    async (request) => rotateChatSiteSecret(ctx, agentOf(request), request.params.siteId),
  );

  app.delete(
    '/chat/sites/:siteId',
    {
      schema: {
        tags,
        summary: 'Delete a chat site that never had a conversation (admin)',
        params: SiteParams,
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      await deleteChatSite(ctx, agentOf(request), request.params.siteId);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/chat/agents/:agentId/settings',
    { schema: { tags, summary: "An agent's chat capacity (live chats at once)", params: AgentParams, response: { 200: CapacitySchema } } },
    async (request) => getAgentChatSettings(ctx.db, agentOf(request), request.params.agentId),
  );

  app.put(
    '/chat/agents/:agentId/settings',
    {
      schema: {
        tags,
        summary: "Set an agent's chat capacity (admin); 0 takes them out of live chat",
        params: AgentParams,
        body: Closed({ chat_capacity: Type.Integer({ minimum: 0, maximum: 50 }) }),
        response: { 200: CapacitySchema },
      },
    },
    async (request) => setAgentChatCapacity(ctx.db, agentOf(request), request.params.agentId, request.body.chat_capacity),
  );
}
