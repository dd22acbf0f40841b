import crypto from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { AppContext } from '../../context.js';
import type { AgentActor } from '../../platform/actor.js';
import { authorize, can } from '../../platform/authorization.js';
import { AppError } from '../../platform/errors.js';
import { getAgent } from '../agents/agents.js';
import { authenticateApiToken, authenticateSession, SESSION_COOKIE } from '../agents/authentication.js';
import { getCase } from '../cases/service.js';
import type { LiveSignal } from './bus.js';
import type { RealtimeEvent } from './event-store.js';
import { HubClient, type RealtimeHub } from './hub.js';
import { insertConnection, setConnectionStatus } from './presence-store.js';
import {
  CLOSE,
  keepAlive,
  MAX_MESSAGE_BYTES,
  MessageRateLimit,
  originAllowed,
  originOf,
  parseClientMessage,
  send,
  UUID,
  bufferEarlyMessages,
  type ClientMessage,
  type EarlyMessages,
} from './socket-guard.js';
import type { ResumeOutcome } from './stream.js';

/** A connection follows at most this many cases at once (open tabs, previews). */
const MAX_CASE_SUBSCRIPTIONS = 50;

/** How the agent proved who they are at the upgrade, re-checked on every heartbeat. */
type Credential = { kind: 'session'; cookie: string } | { kind: 'token'; bearer: string };

function credentialOf(request: FastifyRequest): Credential | undefined {
  const authorization = request.headers.authorization;
  const bearer = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization)?.[1] : undefined;
  if (bearer) return { kind: 'token', bearer };
  const cookie = request.cookies[SESSION_COOKIE];
  return cookie ? { kind: 'session', cookie } : undefined;
}

/**
 * One agent app connection on /api/v1/realtime (protocol: docs/REALTIME.md). Subscriptions are
 * authorized when made and every event is authorized again for this agent before it is sent.
 */
export class AgentConnection extends HubClient {
  private inbox = false;
  private readonly cases = new Set<string>();
  private readonly lastTyping = new Map<string, number>();
  private readonly rate: MessageRateLimit;
  private stopKeepAlive: () => void = () => undefined;
  private readonly connectionId = crypto.randomUUID();

  constructor(
    private readonly hub: RealtimeHub,
    private readonly socket: WebSocket,
    private actor: AgentActor,
    private readonly credential: Credential,
    private readonly agentName: string,
  ) {
    super(actor.workspaceId);
    this.rate = new MessageRateLimit(hub.options.agentRate.burst, hub.options.agentRate.perSecond);
  }

  private get ctx(): AppContext {
    return this.hub.ctx;
  }

  /** Messages are handled one after the other: a resume sent after a subscribe sees the subscription. */
  private inbound: Promise<void> = Promise.resolve();

  private enqueueMessage(data: unknown, isBinary: boolean): void {
    const next = this.inbound.then(() => this.receive(data, isBinary));
    this.inbound = next.catch(() => undefined);
    this.hub.track(next);
  }

  async open(early: EarlyMessages): Promise<void> {
    this.hub.attach(this);
    this.socket.on('close', () => this.end());
    this.socket.on('error', () => this.socket.terminate());
    this.stopKeepAlive = keepAlive(this.socket, this.hub.options.heartbeatMs);
    await insertConnection(this.ctx.db, {
      id: this.connectionId,
      workspaceId: this.actor.workspaceId,
      agentId: this.actor.agentId,
      processId: this.hub.bus.processId,
      status: 'online',
    });
    this.presenceConnectionId = this.connectionId;
    await this.hub.syncPresence([{ workspace_id: this.actor.workspaceId, agent_id: this.actor.agentId }]);
    send(this.socket, {
      type: 'welcome',
      connection_id: this.connectionId,
      agent_id: this.actor.agentId,
      last_event_id: this.hub.cursor,
      heartbeat_ms: this.hub.options.heartbeatMs,
      limits: {
        max_message_bytes: MAX_MESSAGE_BYTES,
        burst: this.hub.options.agentRate.burst,
        per_second: this.hub.options.agentRate.perSecond,
      },
    });
    // In one tick: what arrived during set-up first, then live messages; none lost or doubled.
    for (const [data, isBinary] of early.stop()) this.enqueueMessage(data, isBinary);
    this.socket.on('message', (data, isBinary) => this.enqueueMessage(data, isBinary));
    if (this.socket.readyState !== this.socket.OPEN) this.end();
  }

  private end(): void {
    this.stopKeepAlive();
    for (const caseId of this.cases) this.announce('left', caseId);
    this.hub.detach(this);
  }

  private announce(kind: LiveSignal['kind'], caseId: string): void {
    this.hub.publishLive({
      kind,
      workspaceId: this.actor.workspaceId,
      caseId,
      from: 'agent',
      agentId: this.actor.agentId,
      name: this.agentName,
      connectionId: this.connectionId,
    });
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
      else this.error(message.ref, 'realtime.rate_limited', 'Too many messages; slow down');
      return;
    }
    try {
      await this.handle(message);
    } catch (error) {
      if (error instanceof AppError) this.error(message.ref, error.code, error.message);
      else {
        this.ctx.logger.error({ err: error }, 'realtime message failed');
        this.error(message.ref, 'realtime.failed', 'The message could not be handled');
      }
    }
  }

  private async handle(message: ClientMessage): Promise<void> {
    const ref = message.ref;
    const withRef = ref !== undefined ? { ref } : {};
    switch (message.type) {
      case 'ping':
        send(this.socket, { type: 'pong', ...withRef });
        return;
      case 'resume': {
        const last = message.last_event_id;
        if (last !== null && !(typeof last === 'number' && Number.isSafeInteger(last) && last >= 0)) {
          this.error(ref, 'realtime.invalid_message', 'last_event_id is a non-negative integer or null');
          return;
        }
        await this.resume(this.ctx.db, last, this.hub.cursor, (outcome: ResumeOutcome) =>
          send(
            this.socket,
            outcome.kind === 'resumed'
              ? { type: 'resumed', ...outcome, ...withRef }
              : { ...outcome, type: 'resync_required', last_event_id: outcome.to, ...withRef },
          ),
        );
        return;
      }
      case 'subscribe':
      case 'unsubscribe':
        await this.subscription(message, message.type === 'subscribe');
        return;
      case 'typing': {
        const caseId = message.case_id;
        if (typeof caseId !== 'string' || !this.cases.has(caseId)) {
          this.error(ref, 'realtime.not_subscribed', 'Subscribe to the case before typing on it');
          return;
        }
        const now = Date.now();
        if (now - (this.lastTyping.get(caseId) ?? 0) < this.hub.options.typingThrottleMs) return;
        this.lastTyping.set(caseId, now);
        this.announce('typing', caseId);
        return;
      }
      case 'presence': {
        const status = message.status;
        if (status !== 'online' && status !== 'away') {
          this.error(ref, 'realtime.invalid_message', 'status is online or away');
          return;
        }
        await setConnectionStatus(this.ctx.db, this.connectionId, status);
        await this.hub.syncPresence([{ workspace_id: this.actor.workspaceId, agent_id: this.actor.agentId }]);
        send(this.socket, { type: 'presence_set', status, ...withRef });
        return;
      }
      default:
        this.error(ref, 'realtime.unknown_type', `Unknown message type "${message.type}"`);
    }
  }

  private async subscription(message: ClientMessage, subscribe: boolean): Promise<void> {
    const ref = message.ref;
    const withRef = ref !== undefined ? { ref } : {};
    if (message.topic === 'inbox') {
      if (subscribe) authorize(this.actor, 'case.read', { workspaceId: this.actor.workspaceId, type: 'case' });
      this.inbox = subscribe;
      send(this.socket, { type: subscribe ? 'subscribed' : 'unsubscribed', topic: 'inbox', last_event_id: this.hub.cursor, ...withRef });
      return;
    }
    const caseId = message.case_id;
    if (message.topic !== 'case' || typeof caseId !== 'string' || !UUID.test(caseId)) {
      this.error(ref, 'realtime.invalid_message', 'topic is "inbox", or "case" with a case_id');
      return;
    }
    if (!subscribe) {
      if (this.cases.delete(caseId)) this.announce('left', caseId);
      send(this.socket, { type: 'unsubscribed', topic: 'case', case_id: caseId, ...withRef });
      return;
    }
    // The cases module decides: another workspace's case, or one this agent may not read, is 404.
    await getCase(this.ctx.db, this.actor, caseId);
    if (!this.cases.has(caseId) && this.cases.size >= MAX_CASE_SUBSCRIPTIONS) {
      this.error(ref, 'realtime.too_many_subscriptions', `Follow at most ${MAX_CASE_SUBSCRIPTIONS} cases at once`);
      return;
    }
    this.cases.add(caseId);
    send(this.socket, {
      type: 'subscribed',
      topic: 'case',
      case_id: caseId,
      last_event_id: this.hub.cursor,
      viewers: this.hub.board.viewersOf(this.workspaceId, caseId),
      ...withRef,
    });
    this.announce('viewing', caseId);
  }

  protected wants(event: RealtimeEvent): boolean {
    if (event.type === 'agent.presence_changed') return this.inbox;
    return event.caseId !== null && (this.inbox || this.cases.has(event.caseId));
  }

  protected deliver(event: RealtimeEvent): Promise<void> {
    // Authorized again per recipient at send time: the role may have changed since subscribing.
    const resource = { workspaceId: event.workspaceId, type: 'case', ...(event.caseId ? { caseId: event.caseId } : {}) };
    const permission = event.caseId ? 'case.read' : 'agent.read';
    if (can(this.actor, permission, resource)) {
      send(this.socket, {
        type: 'event',
        id: event.id,
        event: event.type,
        case_id: event.caseId,
        data: event.data,
        at: event.at.toISOString(),
      });
    }
    return Promise.resolve();
  }

  receiveLive(signal: LiveSignal): void {
    if (
      !this.cases.has(signal.caseId) ||
      !can(this.actor, 'case.read', { workspaceId: signal.workspaceId, type: 'case', caseId: signal.caseId })
    )
      return;
    // Customers' typing is shown to agents; agents' own typing arrives as the viewer list.
    if (signal.from === 'customer' && signal.kind === 'typing')
      send(this.socket, { type: 'typing', case_id: signal.caseId, from: 'customer' });
  }

  override viewersChanged(caseId: string): void {
    if (!this.cases.has(caseId)) return;
    send(this.socket, { type: 'viewers', case_id: caseId, viewers: this.hub.board.viewersOf(this.workspaceId, caseId) });
  }

  /** Re-checks the session or token (ended, agent deactivated, role changed) and re-announces viewing. */
  override async heartbeat(): Promise<void> {
    const actor =
      this.credential.kind === 'session'
        ? ((await authenticateSession(this.ctx.db, this.credential.cookie))?.actor ?? null)
        : await authenticateApiToken(this.ctx.db, this.credential.bearer);
    if (!actor || actor.agentId !== this.actor.agentId) {
      this.socket.close(CLOSE.unauthenticated, 'session ended');
      return;
    }
    this.actor = actor;
    for (const caseId of this.cases) this.announce('viewing', caseId);
  }
}

/** The upgrade of /api/v1/realtime: Origin, then credentials, then the connection. */
export async function acceptAgentSocket(hub: RealtimeHub, socket: WebSocket, request: FastifyRequest): Promise<void> {
  // Set up takes a few queries: messages the client sends meanwhile wait here, in order.
  const early = bufferEarlyMessages(socket);
  const publicOrigin = originOf(hub.ctx.config.publicUrl);
  if (!originAllowed(request.headers.origin, publicOrigin ? [publicOrigin] : [], true)) {
    socket.close(CLOSE.originNotAllowed, 'origin not allowed');
    return;
  }
  const actor = request.actor;
  const credential = credentialOf(request);
  if (!actor || actor.kind !== 'agent' || !credential) {
    socket.close(CLOSE.unauthenticated, 'sign in first');
    return;
  }
  await hub.ensureStarted();
  const me = await getAgent(hub.ctx.db, actor, actor.agentId);
  await new AgentConnection(hub, socket, actor, credential, me.name).open(early);
}
