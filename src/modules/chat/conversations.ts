import type { AppContext } from '../../context.js';
import { inTransaction, type Db } from '../../db/database.js';
import { systemActor, type AgentActor } from '../../platform/actor.js';
import { AppError, conflict, unprocessable } from '../../platform/errors.js';
import { recordDomainEvent } from '../../platform/outbox.js';
import { hitRateLimit } from '../../platform/rate-limit.js';
import { resolveQueueForCategory } from '../agents/service.js';
import { createCaseWithMessage, getCase, getMessage } from '../cases/service.js';
import { addIdentity, createCustomer, findOrCreateCustomerByEmail, getCustomer } from '../customers/service.js';
import { pickChatAgent } from './capacity.js';
import {
  findConversationByCase,
  insertConversation,
  insertVisitor,
  latestConversation,
  lockConversation,
  ownsUploads,
  queuePosition,
  updateConversation,
  type ConversationRow,
} from './conversation-store.js';
import type { CaseCategory } from '../cases/schema.js';
import { visitorActor, type VisitorSession } from './visitor.js';
import { visitorLineWriterOf } from './visitor-lines.js';

/** The chat conversation commands, free of the socket: start, write, read, hand over to email, leave. */

export const MAX_TEXT = 5000;
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/;
export const RATE = {
  startPerIp: { limit: 5, windowSeconds: 600 },
  startPerVisitor: { limit: 3, windowSeconds: 600 },
  messagesPerVisitor: { limit: 60, windowSeconds: 60 },
  transcriptsPerVisitor: { limit: 3, windowSeconds: 3600 },
} as const;

function cleanEmail(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const email = raw.trim().toLowerCase();
  if (email.length > 254 || !EMAIL.test(email))
    throw unprocessable('chat.invalid_email', 'This is not an email address', { field: 'email' });
  return email;
}

function cleanText(raw: unknown): string {
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (text.length === 0 || text.length > MAX_TEXT) {
    throw unprocessable('chat.invalid_text', `A message has 1 to ${MAX_TEXT} characters`, { field: 'text' });
  }
  return text;
}

export const isOpen = (c: ConversationRow | undefined): c is ConversationRow => c !== undefined && c.state !== 'ended';

/** Where a chat goes: the pre-chat choice's team and category, else the site's, else the category's queue. */
async function routeOf(db: Db, session: VisitorSession, choiceId: string | undefined) {
  const site = session.site;
  const choice = choiceId === undefined ? undefined : site.prechat_choices.find((c) => c.id === choiceId);
  if (choiceId !== undefined && !choice)
    throw unprocessable('chat.unknown_choice', 'This pre-chat choice does not exist', { field: 'choice_id' });
  const category: CaseCategory = choice?.category ?? site.category;
  let teamId = choice?.team_id ?? site.team_id;
  if (!teamId) teamId = (await resolveQueueForCategory(db, systemActor(session.workspaceId, 'chat routing'), category))?.teamId ?? null;
  return { category, teamId, choiceId: choice?.id ?? null };
}

export interface StartedConversation {
  conversation: ConversationRow;
  customerId: string;
  position: number | null;
}

/**
 * Opens a conversation: the visitor's customer (found by the identity token's or the given email,
 * or a new anonymous one), a case with channel `chat` holding the first message, routed by the
 * pre-chat choice and assigned to an online agent with room for another chat, or queued.
 */
export async function startConversation(
  ctx: AppContext,
  session: VisitorSession,
  input: { text: unknown; choiceId?: string | undefined; name?: string | undefined; email?: string | undefined; ip: string },
): Promise<StartedConversation> {
  const text = cleanText(input.text);
  const email = cleanEmail(input.email) ?? (session.identity?.email ? cleanEmail(session.identity.email) : undefined);
  const name = (input.name ?? session.identity?.name ?? '').trim().slice(0, 200);
  await hitRateLimit(ctx.db, { bucket: `chat:start:ip:${input.ip}`, ...RATE.startPerIp });
  await hitRateLimit(ctx.db, { bucket: `chat:start:visitor:${session.visitorId}`, ...RATE.startPerVisitor });
  const system = systemActor(session.workspaceId, 'chat');
  const route = await routeOf(ctx.db, session, input.choiceId);
  return inTransaction(ctx.db, async (tx) => {
    if (isOpen(await latestConversation(tx, session.workspaceId, session.visitorId))) {
      throw conflict('chat.already_open', 'This visitor already has an open conversation');
    }
    let visitor = session.visitor;
    if (!visitor) {
      const customerId = email
        ? (await findOrCreateCustomerByEmail(tx, system, { email, name: name || undefined })).customerId
        : (await createCustomer(tx, system, { name: name || 'Chat visitor', preferred_channel: 'chat' })).id;
      visitor = await insertVisitor(tx, {
        id: session.visitorId,
        workspaceId: session.workspaceId,
        siteId: session.site.id,
        customerId,
        externalId: session.identity?.sub ?? null,
      });
      session.visitor = visitor;
    }
    const agentId = route.teamId ? await pickChatAgent(tx, session.workspaceId, route.teamId) : null;
    const created = await createCaseWithMessage(tx, system, {
      customerId: visitor.customer_id,
      subject: `Chat: ${text.replace(/\s+/g, ' ').slice(0, 80)}`,
      category: route.category,
      channel: 'chat',
      teamId: route.teamId,
      assigneeId: agentId,
      message: { bodyText: text, visibility: 'public', authorType: 'customer', metadata: { chat: { site_id: session.site.id } } },
    });
    const conversation = await insertConversation(tx, {
      workspaceId: session.workspaceId,
      siteId: session.site.id,
      visitorId: visitor.id,
      caseId: created.case.id,
      choiceId: route.choiceId,
      teamId: route.teamId,
      state: agentId ? 'active' : 'queued',
      followupEmail: email ?? null,
    });
    let position: number | null = null;
    if (!agentId) {
      position = await queuePosition(tx, conversation);
      await recordDomainEvent(tx, system, {
        type: 'chat.queue',
        aggregateType: 'case',
        aggregateId: conversation.case_id,
        payload: { conversation_id: conversation.id, position },
      });
    }
    return { conversation, customerId: visitor.customer_id, position };
  });
}

/** A visitor's message on their open conversation (files: their own uploads only). */
export async function postVisitorMessage(
  ctx: AppContext,
  session: VisitorSession,
  conversation: ConversationRow,
  input: { text: unknown; attachmentIds?: string[] | undefined },
) {
  const text = cleanText(input.text);
  if (!session.visitor) throw conflict('chat.no_conversation', 'Start a conversation first');
  if (conversation.state === 'ended') throw conflict('chat.conversation_ended', 'This conversation has ended; start a new one');
  const attachmentIds = input.attachmentIds ?? [];
  if (!(await ownsUploads(ctx.db, session.workspaceId, session.visitorId, attachmentIds))) {
    throw unprocessable('attachment.not_attachable', 'Some attachments do not exist, belong elsewhere or are already attached');
  }
  const actor = visitorActor(session.workspaceId, session.visitor.customer_id, conversation.case_id);
  // Written together with the other visitors' lines of the moment (visitor-lines.ts).
  const messageId = await visitorLineWriterOf(ctx.db).write({
    rateLimit: { bucket: `chat:message:visitor:${session.visitorId}`, ...RATE.messagesPerVisitor },
    message: { actor, caseId: conversation.case_id, bodyText: text, channel: 'chat', attachmentIds },
  });
  return { id: messageId };
}

/** Read receipt of the visitor: everything up to this message. */
export async function markVisitorRead(
  ctx: AppContext,
  session: VisitorSession,
  conversation: ConversationRow,
  messageId: string,
): Promise<void> {
  if (!session.visitor) return;
  const actor = visitorActor(session.workspaceId, session.visitor.customer_id, conversation.case_id);
  const { caseId } = await getMessage(ctx.db, actor, messageId);
  if (caseId !== conversation.case_id) return;
  await inTransaction(ctx.db, async (tx) => {
    await updateConversation(tx, session.workspaceId, conversation.id, { visitor_read_message_id: messageId, visitor_read_at: new Date() });
    await recordDomainEvent(tx, actor, {
      type: 'chat.read',
      aggregateType: 'case',
      aggregateId: conversation.case_id,
      payload: { conversation_id: conversation.id, by: 'customer', message_id: messageId },
    });
  });
}

/** Read receipt of the agent (the visitor sees "read"). */
export async function markAgentRead(db: Db, actor: AgentActor, caseId: string, messageId: string): Promise<void> {
  await getCase(db, actor, caseId);
  const { caseId: ofCase } = await getMessage(db, actor, messageId);
  if (ofCase !== caseId) throw unprocessable('chat.message_of_other_case', 'The message is not on this case', { field: 'message_id' });
  await inTransaction(db, async (tx) => {
    const conversation = await findConversationByCase(tx, actor.workspaceId, caseId, { forUpdate: true });
    if (!conversation) throw new AppError('not_found', 'chat_conversation.not_found', 'This case is not a chat conversation');
    await updateConversation(tx, actor.workspaceId, conversation.id, { agent_read_message_id: messageId, agent_read_at: new Date() });
    await recordDomainEvent(tx, actor, {
      type: 'chat.read',
      aggregateType: 'case',
      aggregateId: caseId,
      payload: { conversation_id: conversation.id, by: 'agent', message_id: messageId },
    });
  });
}

/**
 * The address replies go to once the visitor is gone. Added to the visitor's customer when it is
 * free; an address that belongs to another customer is only kept on the conversation.
 */
export async function setFollowupEmail(
  ctx: AppContext,
  session: VisitorSession,
  conversation: ConversationRow,
  raw: string,
): Promise<ConversationRow> {
  const email = cleanEmail(raw)!;
  const updated = await inTransaction(ctx.db, async (tx) => {
    const row = await updateConversation(tx, session.workspaceId, conversation.id, { followup_email: email });
    await recordDomainEvent(tx, systemActor(session.workspaceId, 'chat'), {
      type: 'chat.state',
      aggregateType: 'case',
      aggregateId: conversation.case_id,
      payload: { conversation_id: conversation.id, state: row.state, email_followup: row.email_followup, followup_email_given: true },
    });
    return row;
  });
  if (session.visitor) {
    const system = systemActor(session.workspaceId, 'chat');
    try {
      const customer = await getCustomer(ctx.db, system, session.visitor.customer_id);
      if (customer.emails.length === 0) await addIdentity(ctx.db, system, session.visitor.customer_id, { kind: 'email', value: email });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
    }
  }
  return updated;
}

/**
 * Ends the live part of a conversation (the visitor left, or an agent closed the chat). The case
 * goes on: when an address is known, later agent replies go out by email.
 */
export async function endConversation(
  db: Db,
  workspaceId: string,
  conversationId: string,
  by: 'customer' | 'agent' | 'system',
): Promise<ConversationRow | undefined> {
  return inTransaction(db, async (tx) => {
    const conversation = await lockConversation(tx, workspaceId, conversationId);
    if (!conversation || conversation.state === 'ended') return conversation;
    const row = await updateConversation(tx, workspaceId, conversationId, { state: 'ended', ended_at: new Date(), email_followup: true });
    await recordDomainEvent(tx, systemActor(workspaceId, 'chat'), {
      type: 'chat.state',
      aggregateType: 'case',
      aggregateId: row.case_id,
      payload: { conversation_id: row.id, state: 'ended', email_followup: true, by },
    });
    return row;
  });
}

/** The visitor's latest conversation, for the welcome (history of a returning visitor). */
export async function currentConversation(db: Db, session: VisitorSession): Promise<ConversationRow | undefined> {
  return session.visitor ? latestConversation(db, session.workspaceId, session.visitorId) : undefined;
}
