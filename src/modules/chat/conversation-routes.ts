import { Type, type Static } from 'typebox';
import type { AppContext } from '../../context.js';
import { agentOf } from '../../http/authenticate.js';
import { Closed, Uuid } from '../../http/schemas.js';
import type { ApiApp } from '../../http/server.js';
import type { AgentActor } from '../../platform/actor.js';
import { authorize } from '../../platform/authorization.js';
import { AppError } from '../../platform/errors.js';
import { getCase } from '../cases/service.js';
import { findConversationByCase, findVisitor, queuePosition } from './conversation-store.js';
import { endConversation, markAgentRead } from './conversations.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });
const tags = ['chat'];

export const ConversationSchema = Type.Object({
  id: Uuid,
  case_id: Uuid,
  site_id: Uuid,
  state: Type.Enum(['queued', 'active', 'ended']),
  position: Nullable(Type.Integer({ description: 'Place in the queue while queued' })),
  identified: Type.Boolean({ description: 'The site vouched for the visitor with an identity token' }),
  external_id: Nullable(Type.String({ description: "The site's user id from the identity token" })),
  followup_email: Nullable(Type.String()),
  email_followup: Type.Boolean({ description: 'Agent replies now go out by email' }),
  visitor_seen_at: Nullable(DateTime),
  visitor_read_message_id: Nullable(Uuid),
  agent_read_message_id: Nullable(Uuid),
  created_at: DateTime,
});
type ConversationView = Static<typeof ConversationSchema>;

const notAChat = () => new AppError('not_found', 'chat_conversation.not_found', 'This case is not a chat conversation');

async function conversationOf(ctx: AppContext, actor: AgentActor, caseId: string): Promise<ConversationView> {
  await getCase(ctx.db, actor, caseId);
  const row = await findConversationByCase(ctx.db, actor.workspaceId, caseId);
  if (!row) throw notAChat();
  const visitor = await findVisitor(ctx.db, actor.workspaceId, row.site_id, row.visitor_id);
  return {
    id: row.id,
    case_id: row.case_id,
    site_id: row.site_id,
    state: row.state,
    position: row.state === 'queued' ? await queuePosition(ctx.db, row) : null,
    identified: visitor?.external_id != null,
    external_id: visitor?.external_id ?? null,
    followup_email: row.followup_email,
    email_followup: row.email_followup,
    visitor_seen_at: row.visitor_seen_at?.toISOString() ?? null,
    visitor_read_message_id: row.visitor_read_message_id,
    agent_read_message_id: row.agent_read_message_id,
    created_at: row.created_at.toISOString(),
  };
}

/**
 * The agent's side of a chat beyond the case API: the conversation's state, read receipts, ending
 * the live chat. Agents reply through the case message API (POST /cases/{caseId}/messages).
 */
export function chatConversationRoutes(app: ApiApp, ctx: AppContext): void {
  const params = Closed({ caseId: Uuid });
  app.get(
    '/chat/conversations/:caseId',
    {
      schema: {
        tags,
        summary: 'The chat conversation of a case (queue, visitor, read receipts)',
        params,
        response: { 200: ConversationSchema },
      },
    },
    async (request) => conversationOf(ctx, agentOf(request), request.params.caseId),
  );

  app.post(
    '/chat/conversations/:caseId/read',
    {
      schema: {
        tags,
        summary: 'Mark the visitor\'s messages read up to this one (the visitor sees "read")',
        params,
        body: Closed({ message_id: Uuid }),
        response: { 204: Type.Null({ description: 'No content' }) },
      },
    },
    async (request, reply) => {
      await markAgentRead(ctx.db, agentOf(request), request.params.caseId, request.body.message_id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/chat/conversations/:caseId/end',
    {
      schema: {
        tags,
        summary: 'End the live chat; the case goes on, by email when the visitor left an address',
        params,
        response: { 200: ConversationSchema },
      },
    },
    async (request) => {
      const actor = agentOf(request);
      await getCase(ctx.db, actor, request.params.caseId);
      authorize(actor, 'case.write', { workspaceId: actor.workspaceId, type: 'case', caseId: request.params.caseId });
      const row = await findConversationByCase(ctx.db, actor.workspaceId, request.params.caseId);
      if (!row) throw notAChat();
      await endConversation(ctx.db, actor.workspaceId, row.id, 'agent');
      return conversationOf(ctx, actor, request.params.caseId);
    },
  );
}
