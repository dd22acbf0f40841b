import type { AppContext } from '../../context.js';
import { PostgresRealtimeBus, type LiveSignal, type RealtimeBus } from './bus.js';
import { CollisionBoard } from './collision.js';
import { RedisRealtimeBus } from './redis-bus.js';
import type { RealtimeEvent } from './event-store.js';
import { deleteConnections, deleteStaleConnections, touchConnections, type ConnectionOwner } from './presence-store.js';
import { syncAgentPresence } from './presence.js';
import { ResumableStream } from './stream.js';

export interface RealtimeOptions {
  /** Server pings every connection this often; no pong by the next ping drops it. */
  heartbeatMs: number;
  /** A presence row or viewer not refreshed for this long belongs to a dead process. */
  staleAfterMs: number;
  /** How long a typing signal shows. */
  typingMs: number;
  /** At most one typing signal per connection and case this often. */
  typingThrottleMs: number;
  agentRate: { burst: number; perSecond: number };
  visitorRate: { burst: number; perSecond: number };
  /** Refused messages in a row before the connection is closed (4429). */
  maxRefusedInARow: number;
  busPollMs: number;
}

export const DEFAULT_REALTIME_OPTIONS: RealtimeOptions = {
  heartbeatMs: 25_000,
  staleAfterMs: 75_000,
  typingMs: 6_000,
  typingThrottleMs: 2_000,
  agentRate: { burst: 40, perSecond: 20 },
  visitorRate: { burst: 10, perSecond: 3 },
  maxRefusedInARow: 20,
  busPollMs: 2_000,
};

/** One connected client as the hub sees it (an agent app or a chat widget). */
export abstract class HubClient extends ResumableStream {
  /** A live signal of this client's workspace (typing, viewing). */
  abstract receiveLive(signal: LiveSignal): void;
  /** The viewer list of a case changed (collision detection). */
  viewersChanged(_caseId: string): void {}
  /** Called on every heartbeat tick of the hub (re-announce viewing, re-check the session). */
  heartbeat(): void | Promise<void> {}
  /** The realtime_connections row of an agent connection (presence); undefined for visitors. */
  presenceConnectionId: string | undefined = undefined;

  /**
   * The one case this client follows when it follows a single case (a chat widget: null until it
   * has a conversation); undefined when it follows its whole workspace (an agent). The hub offers
   * a single-case client its case's events only: with 10,000 widgets connected, offering every
   * event to every connection was most of the hub's work. A client whose case changes tells its
   * hub (`refollow`).
   */
  followedCase(): string | null | undefined {
    return undefined;
  }
}

/**
 * The realtime side of one process: the bus, the connected clients and the collision board.
 * Started by the first connection (a process nobody connects to does not even LISTEN) and
 * stopped with the HTTP server.
 */
export class RealtimeHub {
  readonly bus: RealtimeBus;
  readonly board: CollisionBoard;
  private readonly clients = new Set<HubClient>();
  /** Clients offered every event (agents), and single-case clients by their case (widgets). */
  private readonly wholeWorkspace = new Set<HubClient>();
  private readonly byCase = new Map<string, Set<HubClient>>();
  private readonly followed = new Map<HubClient, string | null>();
  private started: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly tasks = new Set<Promise<unknown>>();
  private stopping = false;

  constructor(
    readonly ctx: AppContext,
    readonly options: RealtimeOptions,
  ) {
    this.bus = ctx.config.redisUrl
      ? new RedisRealtimeBus(ctx.database, ctx.config.redisUrl, ctx.logger, options.busPollMs)
      : new PostgresRealtimeBus(ctx.database, ctx.logger, options.busPollMs);
    this.board = new CollisionBoard(options.staleAfterMs, options.typingMs);
  }

  ensureStarted(): Promise<void> {
    return (this.started ??= (async () => {
      this.bus.onEvent((event) => this.dispatch(event));
      this.bus.onLive((signal) => this.dispatchLive(signal));
      await this.bus.start();
      this.timer = setInterval(() => this.track(this.tick()), this.options.heartbeatMs);
      this.timer.unref();
    })());
  }

  get cursor(): number {
    return this.bus.cursor;
  }

  attach(client: HubClient): void {
    this.clients.add(client);
    this.index(client);
  }

  /** A single-case client now follows another case (or its first). */
  refollow(client: HubClient): void {
    if (!this.clients.has(client)) return;
    this.unindex(client);
    this.index(client);
  }

  /** Removes a client; an agent connection's presence row goes with it. */
  detach(client: HubClient): void {
    if (!this.clients.delete(client)) return;
    this.unindex(client);
    client.close();
    if (client.presenceConnectionId) {
      const id = client.presenceConnectionId;
      this.track(deleteConnections(this.ctx.db, [id]).then((owners) => this.syncPresence(owners)));
    }
  }

  /** Publishes a live signal to every process (this one included). */
  publishLive(signal: LiveSignal): void {
    this.track(this.bus.publishLive(signal));
  }

  /** Background work the hub waits for when stopping (presence writes, notifications). */
  track<T>(promise: Promise<T>): void {
    const guarded = promise.catch((error: unknown) => this.ctx.logger.error({ err: error }, 'realtime background task failed'));
    this.tasks.add(guarded);
    void guarded.finally(() => this.tasks.delete(guarded));
  }

  syncPresence(owners: ConnectionOwner[]): Promise<void> {
    const unique = new Map(owners.map((o) => [`${o.workspace_id}:${o.agent_id}`, o]));
    const staleBefore = new Date(Date.now() - this.options.staleAfterMs);
    return [...unique.values()].reduce<Promise<void>>(
      (chain, owner) => chain.then(() => syncAgentPresence(this.ctx.db, owner, staleBefore).then(() => undefined)),
      Promise.resolve(),
    );
  }

  private index(client: HubClient): void {
    const caseId = client.followedCase();
    if (caseId === undefined) {
      this.wholeWorkspace.add(client);
      return;
    }
    this.followed.set(client, caseId);
    if (caseId === null) return;
    let followers = this.byCase.get(caseId);
    if (!followers) this.byCase.set(caseId, (followers = new Set()));
    followers.add(client);
  }

  private unindex(client: HubClient): void {
    this.wholeWorkspace.delete(client);
    const caseId = this.followed.get(client);
    this.followed.delete(client);
    if (!caseId) return;
    const followers = this.byCase.get(caseId);
    followers?.delete(client);
    if (followers?.size === 0) this.byCase.delete(caseId);
  }

  private dispatch(event: RealtimeEvent): void {
    for (const client of this.wholeWorkspace) client.offer(event);
    if (event.caseId === null) return;
    const followers = this.byCase.get(event.caseId);
    if (followers) for (const client of followers) client.offer(event);
  }

  private dispatchLive(signal: LiveSignal): void {
    const changed = this.board.apply(signal);
    for (const client of this.clients) {
      if (client.workspaceId !== signal.workspaceId) continue;
      client.receiveLive(signal);
      if (changed) client.viewersChanged(signal.caseId);
    }
  }

  /** Heartbeat of the process: refresh presence rows, sweep dead ones, expire viewers. */
  private async tick(): Promise<void> {
    if (this.stopping) return;
    const ids = [...this.clients].map((c) => c.presenceConnectionId).filter((id): id is string => id !== undefined);
    await touchConnections(this.ctx.db, ids);
    const stale = await deleteStaleConnections(this.ctx.db, new Date(Date.now() - this.options.staleAfterMs));
    if (stale.length > 0) await this.syncPresence(stale);
    for (const { workspaceId, caseId } of this.board.expire()) {
      for (const client of this.clients) if (client.workspaceId === workspaceId) client.viewersChanged(caseId);
    }
    for (const client of this.clients) await client.heartbeat();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    const ids = [...this.clients].map((c) => c.presenceConnectionId).filter((id): id is string => id !== undefined);
    for (const client of this.clients) client.close();
    this.clients.clear();
    if (this.started) {
      await this.started.catch(() => undefined);
      await this.bus.stop();
    }
    if (ids.length > 0) this.track(deleteConnections(this.ctx.db, ids).then((owners) => this.syncPresence(owners)));
    while (this.tasks.size > 0) await Promise.allSettled([...this.tasks]);
  }
}

const hubs = new WeakMap<AppContext, RealtimeHub>();
const configured = new WeakMap<AppContext, Partial<RealtimeOptions>>();

/** Tests shorten heartbeats and limits before the server is built. */
export function configureRealtime(ctx: AppContext, options: Partial<RealtimeOptions>): void {
  configured.set(ctx, options);
}

/** The process's hub for this context (one per running server). */
export function realtimeHubOf(ctx: AppContext): RealtimeHub {
  let hub = hubs.get(ctx);
  if (!hub) {
    hub = new RealtimeHub(ctx, { ...DEFAULT_REALTIME_OPTIONS, ...configured.get(ctx) });
    hubs.set(ctx, hub);
  }
  return hub;
}

/** Forgets the hub of a context after it stopped (a server built again gets a new one). */
export function releaseRealtimeHub(ctx: AppContext, hub: RealtimeHub): void {
  if (hubs.get(ctx) === hub) hubs.delete(ctx);
}
