import type { FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { AppContext } from '../../context.js';
import { systemActor } from '../../platform/actor.js';
import { can } from '../../platform/authorization.js';
import { AppError } from '../../platform/errors.js';
import { getAgentsByIds } from '../agents/service.js';
import { getCustomerLine, listPublicMessages, type CustomerLineView, type MessageView } from '../cases/service.js';
import {
  bufferEarlyMessages,
  CLOSE,
  HubClient,
  keepAlive,
  MAX_MESSAGE_BYTES,
  MessageRateLimit,
  originAllowed,
  originOf,
  parseClientMessage,
  send,
  type ClientMessage,
  type EarlyMessages,
  type LiveSignal,
  type RealtimeEvent,
  type RealtimeHub,
} from '../realtime/service.js';
import {
  currentConversation,
  endConversation,
  isOpen,
  markVisitorRead,
  MAX_TEXT,
  postVisitorMessage,
  setFollowupEmail,
  startConversation,
} from './conversations.js';
import { markVisitorsSeen, queuePosition, type ConversationRow } from './conversation-store.js';
import { emailTranscript } from './mail.js';
import { hitRateLimit } from '../../platform/rate-limit.js';
import { RATE } from './conversations.js';
import { findActiveSiteByKey, type ChatSiteRow } from './site-store.js';
import { widgetConfig, type WidgetConfig } from './widget-config.js';
import { resolveVisitor, visitorActor, type VisitorSession } from './visitor.js';
import { visitorSightingsOf } from './visitor-sightings.js';

/** The widget must say hello this soon after connecting. */
const HELLO_TIMEOUT_MS = 10_000;
const MAX_HISTORY = 200;

/** What a visitor sees of a message: no metadata, no internal ids of agents. */
export function visitorMessage(message: MessageView) {
  return visitorLine({
    id: message.id,
    author_type: message.author_type,
    agent_name: message.author_type === 'agent' ? (message.author?.name ?? null) : null,
    body_text: message.body_text,
    attachments: message.attachments,
    created_at: message.created_at,
  });
}

function visitorLine(line: CustomerLineView) {
  return {
    id: line.id,
    from: line.author_type === 'customer' ? 'visitor' : line.author_type,
    author_name: line.author_type === 'agent' ? line.agent_name : null,
    text: line.body_text,
    attachments: line.attachments.map((a) => ({
      filename: a.filename,
      content_type: a.content_type,
      size_bytes: a.size_bytes,
      url: a.url,
    })),
    at: line.created_at,
  };
}

/**
 * One chat widget connection (protocol: docs/REALTIME.md, "Widget socket"). The visitor acts as
 * the customer of their conversation's case only: every event is authorized again for them, and
 * only public messages reach them.
 */
export class VisitorConnection extends HubClient {
  private current: ConversationRow | undefined;
  private readonly rate: MessageRateLimit;
  private lastTyping = 0;
  private inbound: Promise<void> = Promise.resolve();
  private stopKeepAlive: () => void = () => undefined;

  /** The visitor's conversation; the hub offers this connection the events of its case only. */
  private get conversation(): ConversationRow | undefined {
    return this.current;
  }

  private set conversation(value: ConversationRow | undefined) {
    const before = this.current?.case_id;
    this.current = value;
    if (value?.case_id !== before) this.hub.refollow(this);
  }

  override followedCase(): string | null {
    return this.current?.case_id ?? null;
  }

  constructor(
    private readonly hub: RealtimeHub,
    private readonly socket: WebSocket,
    private readonly session: VisitorSession,
    private readonly ip: string,
  ) {
    super(session.workspaceId);
    this.rate = new MessageRateLimit(hub.options.visitorRate.burst, hub.options.visitorRate.perSecond);
  }

  private get ctx(): AppContext {
    return this.hub.ctx;
  }

  private actor() {
    if (!this.session.visitor || !this.conversation) return undefined;
    return visitorActor(this.session.workspaceId, this.session.visitor.customer_id, this.conversation.case_id);
  }

  async open(config: WidgetConfig, lastEventId: number | null, early: EarlyMessages, helloRef: string | undefined): Promise<void> {
    this.hub.attach(this);
    this.socket.on('close', () => this.end());
    this.stopKeepAlive = keepAlive(this.socket, this.hub.options.heartbeatMs);
    this.conversation = await currentConversation(this.ctx.db, this.session);
    send(this.socket, {
      type: 'welcome',
      ...(helloRef !== undefined ? { ref: helloRef } : {}),
      visitor_token: this.session.visitorToken,
      identified: this.session.identity !== undefined,
      site: config,
      conversation: await this.conversationView(),
      last_event_id: this.hub.cursor,
      limits: { max_message_bytes: MAX_MESSAGE_BYTES, max_text: MAX_TEXT },
    });
    await this.resume(this.ctx.db, lastEventId, this.hub.cursor, (outcome) =>
      send(
        this.socket,
        outcome.kind === 'resumed' ? { type: 'resumed', ...outcome } : { type: 'resync_required', last_event_id: outcome.to },
      ),
    );
    for (const [data, isBinary] of early.stop()) this.enqueueMessage(data, isBinary);
    this.socket.on('message', (data, isBinary) => this.enqueueMessage(data, isBinary));
    if (this.socket.readyState !== this.socket.OPEN) this.end();
    else await this.seen();
  }

  private async conversationView() {
    const conversation = this.conversation;
    const actor = this.actor();
    if (!conversation || !actor) return null;
    const messages = await listPublicMessages(this.ctx.db, actor, conversation.case_id);
    return {
      id: conversation.id,
      state: conversation.state,
      email_followup: conversation.email_followup,
      followup_email_given: conversation.followup_email !== null,
      position: conversation.state === 'queued' ? await queuePosition(this.ctx.db, conversation) : null,
      agent_read_message_id: conversation.agent_read_message_id,
      messages: messages.slice(-MAX_HISTORY).map(visitorMessage),
    };
  }

  private enqueueMessage(data: unknown, isBinary: boolean): void {
    const next = this.inbound.then(() => this.receive(data, isBinary));
    this.inbound = next.catch(() => undefined);
    this.hub.track(next);
  }

  private end(): void {
    this.stopKeepAlive();
    this.hub.detach(this);
    this.hub.track(this.seen());
  }

  /** When the visitor was last connected: unread agent replies go by email after they are gone. */
  private async seen(): Promise<void> {
    if (!this.session.visitor) return;
    const seen = { visitorId: this.session.visitor.id, conversationId: this.conversation?.id ?? null };
    await markVisitorsSeen(this.ctx.db, this.session.workspaceId, [seen], new Date());
  }

  override heartbeat(): void {
    // Not awaited: the hub's tick goes round every socket first, then one write covers them all.
    if (this.session.visitor)
      this.hub.track(
        visitorSightingsOf(this.ctx.db).report(this.session.workspaceId, this.session.visitor.id, this.conversation?.id ?? null),
      );
  }

  private error(ref: string | undefined, code: string, message: string): void {
    send(this.socket, { type: 'error', code, message, ...(ref !== undefined ? { ref } : {}) });
  }

  private async receive(data: unknown, isBinary: boolean): Promise<void> {
    if (this.closed) return;
    const message = parseClientMessage(data, isBinary);
    if (!message) {
      this.socket.close(CLOSE.protocolError, 'messages are JSON objects with a type');
      return;
    }
    if (!this.rate.take()) {
      if (this.rate.refusedInARow > this.hub.options.maxRefusedInARow) this.socket.close(CLOSE.rateLimited, 'too many messages');
      else this.error(message.ref, 'chat.rate_limited', 'Too many messages; slow down');
      return;
    }
    try {
      await this.handle(message);
    } catch (error) {
      if (error instanceof AppError) this.error(message.ref, error.code, error.message);
      else {
        this.ctx.logger.error({ err: error }, 'chat widget message failed');
        this.error(message.ref, 'chat.failed', 'Something went wrong; try again');
      }
    }
  }

  private requireOpen(): ConversationRow {
    if (!isOpen(this.conversation)) throw new AppError('conflict', 'chat.no_conversation', 'Start a conversation first');
    return this.conversation;
  }

  private async handle(message: ClientMessage): Promise<void> {
    const ref = message.ref;
    const withRef = ref !== undefined ? { ref } : {};
    const str = (name: string, max: number) => {
      const value = message[name];
      return typeof value === 'string' && value.length <= max ? value : undefined;
    };
    switch (message.type) {
      case 'ping':
        send(this.socket, { type: 'pong', ...withRef });
        return;
      case 'start': {
        const started = await startConversation(this.ctx, this.session, {
          text: message.text,
          choiceId: str('choice_id', 40),
          name: str('name', 200),
          email: str('email', 254),
          ip: this.ip,
        });
        this.conversation = started.conversation;
        send(this.socket, {
          type: 'started',
          ...withRef,
          conversation: { id: started.conversation.id, state: started.conversation.state, position: started.position },
        });
        return;
      }
      case 'message': {
        const conversation = this.requireOpen();
        const ids = Array.isArray(message.attachment_ids)
          ? message.attachment_ids.filter((id): id is string => typeof id === 'string').slice(0, 5)
          : [];
        const posted = await postVisitorMessage(this.ctx, this.session, conversation, { text: message.text, attachmentIds: ids });
        send(this.socket, { type: 'sent', ...withRef, message_id: posted.id });
        return;
      }
      case 'typing': {
        const conversation = this.requireOpen();
        const now = Date.now();
        if (now - this.lastTyping < this.hub.options.typingThrottleMs) return;
        this.lastTyping = now;
        this.hub.publishLive({
          kind: 'typing',
          workspaceId: this.workspaceId,
          caseId: conversation.case_id,
          from: 'customer',
          connectionId: this.session.visitorId,
        });
        return;
      }
      case 'read': {
        const messageId = str('message_id', 36);
        if (!messageId) throw new AppError('validation', 'chat.invalid_message', 'read needs a message_id');
        await markVisitorRead(this.ctx, this.session, this.requireOpen(), messageId);
        send(this.socket, { type: 'read_ok', ...withRef });
        return;
      }
      case 'email': {
        this.conversation = await setFollowupEmail(this.ctx, this.session, this.requireOpen(), str('email', 254) ?? '');
        send(this.socket, { type: 'email_saved', ...withRef });
        return;
      }
      case 'transcript': {
        const conversation = this.conversation;
        if (!conversation || !this.session.visitor) throw new AppError('conflict', 'chat.no_conversation', 'Start a conversation first');
        await hitRateLimit(this.ctx.db, { bucket: `chat:transcript:visitor:${this.session.visitorId}`, ...RATE.transcriptsPerVisitor });
        const email = str('email', 254);
        // A transcript goes to the conversation's follow-up address: giving one here sets it.
        if (email !== undefined) this.conversation = await setFollowupEmail(this.ctx, this.session, conversation, email);
        await emailTranscript(this.ctx, {
          workspaceId: this.workspaceId,
          conversation: this.conversation!,
          site: this.session.site,
          customerId: this.session.visitor.customer_id,
        });
        send(this.socket, { type: 'transcript_sent', ...withRef });
        return;
      }
      case 'leave': {
        const conversation = this.requireOpen();
        this.conversation = (await endConversation(this.ctx.db, this.workspaceId, conversation.id, 'customer')) ?? conversation;
        send(this.socket, { type: 'left', ...withRef, email_followup: this.conversation.email_followup });
        return;
      }
      default:
        this.error(ref, 'chat.unknown_type', `Unknown message type "${message.type}"`);
    }
  }

  protected wants(event: RealtimeEvent): boolean {
    return this.conversation !== undefined && event.caseId === this.conversation.case_id;
  }

  protected async deliver(event: RealtimeEvent): Promise<void> {
    const actor = this.actor();
    if (
      !actor ||
      !can(actor, 'status_link.read', {
        workspaceId: event.workspaceId,
        type: 'case',
        caseId: event.caseId ?? '',
        customerId: actor.customerId,
      })
    )
      return;
    const base = { event_id: event.id, conversation_id: this.conversation!.id };
    const data = event.data as Record<string, unknown>;
    switch (event.type) {
      case 'case.message_added': {
        if (data.visibility !== 'public' || typeof data.message_id !== 'string') return;
        try {
          const hasFiles = typeof data.has_files === 'boolean' ? data.has_files : undefined;
          const line = await getCustomerLine(this.ctx.db, actor, data.message_id, { hasFiles });
          send(this.socket, { type: 'message', ...base, message: visitorLine(line) });
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
        }
        return;
      }
      case 'case.assigned': {
        const to = typeof data.to === 'string' ? data.to : null;
        const names: Map<string, { name: string }> = to
          ? await getAgentsByIds(this.ctx.db, systemActor(this.workspaceId, 'chat'), [to])
          : new Map<string, { name: string }>();
        if (this.conversation && this.conversation.state === 'queued' && to) this.conversation = { ...this.conversation, state: 'active' };
        send(this.socket, { type: 'assigned', ...base, agent: to ? { name: names.get(to)?.name ?? '' } : null });
        return;
      }
      case 'case.status_changed':
        send(this.socket, { type: 'status', ...base, status: data.to });
        return;
      case 'chat.queue':
        send(this.socket, { type: 'queue', ...base, position: data.position });
        return;
      case 'chat.read':
        if (data.by === 'agent') send(this.socket, { type: 'read', ...base, by: 'agent', message_id: data.message_id });
        return;
      case 'chat.state':
        if (this.conversation && data.state === 'ended') this.conversation = { ...this.conversation, state: 'ended', email_followup: true };
        send(this.socket, { type: 'state', ...base, state: data.state, email_followup: data.email_followup });
        return;
      default:
    }
  }

  receiveLive(signal: LiveSignal): void {
    const conversation = this.conversation;
    if (!conversation || signal.caseId !== conversation.case_id || signal.kind !== 'typing' || signal.from !== 'agent') return;
    send(this.socket, { type: 'typing', from: 'agent', name: signal.name ?? '' });
  }
}

/**
 * The widget socket: the site from `?site=`, the Origin (Baton's own, where the widget frame is
 * served, or one of the site's allowed origins), then `hello` with the visitor's tokens.
 */
export async function acceptVisitorSocket(
  hub: RealtimeHub,
  socket: WebSocket,
  request: FastifyRequest,
  siteKey: string | undefined,
): Promise<void> {
  const early = bufferEarlyMessages(socket);
  const site: ChatSiteRow | undefined = siteKey ? await findActiveSiteByKey(hub.ctx.db, siteKey) : undefined;
  if (!site) {
    socket.close(CLOSE.siteNotFound, 'unknown chat site');
    return;
  }
  const own = originOf(hub.ctx.config.publicUrl);
  if (!originAllowed(request.headers.origin, [...(own ? [own] : []), ...site.allowed_origins], false)) {
    socket.close(CLOSE.originNotAllowed, 'origin not allowed');
    return;
  }
  const hello = await firstMessage(socket, early);
  if (!hello || hello.type !== 'hello') {
    socket.close(CLOSE.protocolError, 'say hello first');
    return;
  }
  const str = (name: string, max: number) => {
    const value = hello[name];
    return typeof value === 'string' && value.length <= max ? value : undefined;
  };
  const resolution = await resolveVisitor(hub.ctx, site, {
    visitorToken: str('visitor_token', 200),
    identityToken: str('identity_token', 4096),
  });
  if (!resolution.ok) {
    send(socket, {
      type: 'error',
      code: `chat.identity_${resolution.problem.replace(/^identity_/, '')}`,
      message: 'The identity token was refused',
    });
    socket.close(CLOSE.unauthenticated, resolution.problem);
    return;
  }
  const last = hello.last_event_id;
  const lastEventId = typeof last === 'number' && Number.isSafeInteger(last) && last >= 0 ? last : null;
  await hub.ensureStarted();
  const config = await widgetConfig(hub.ctx, site);
  await new VisitorConnection(hub, socket, resolution.session, request.ip).open(config, lastEventId, early, hello.ref);
}

/** The first message (already buffered or still to come), or null on timeout, close or garbage. */
async function firstMessage(socket: WebSocket, early: EarlyMessages): Promise<ClientMessage | null> {
  const deadline = Date.now() + HELLO_TIMEOUT_MS;
  for (;;) {
    const buffered = early.peek();
    if (buffered.length > 0) {
      const [data, isBinary] = early.shift()!;
      return parseClientMessage(data, isBinary);
    }
    if (socket.readyState !== socket.OPEN || Date.now() > deadline) return null;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
      const wake = () => {
        clearTimeout(timer);
        socket.off('message', wake);
        socket.off('close', wake);
        // Let the buffering listener record the message first.
        setImmediate(resolve);
      };
      socket.on('message', wake);
      socket.on('close', wake);
    });
  }
}
