import pg from 'pg';

type Handler = (payload: string) => void;

const RECONNECT_FIRST_MS = 500;
const RECONNECT_MAX_MS = 15_000;

/**
 * Every LISTEN of a process on one connection of its own, outside the query pool. A LISTEN holds
 * its connection for the life of the process: with one pooled connection per channel, a process
 * running both roles kept six of its ten pooled connections listening, and case creations and
 * mail processing queued for the other four.
 *
 * When the connection drops (a server restart, a network cut), it is opened again with backoff and
 * every channel listened to again. Notifications sent meanwhile are lost, as with any LISTEN: the
 * listeners poll as well (outbox relay, inbound mail, jobs, realtime resume by event id).
 */
export class NotificationListener {
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;
  private readonly handlers = new Map<string, Set<Handler>>();
  private reconnectDelay = RECONNECT_FIRST_MS;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly connectionString: string,
    private readonly options: {
      /** Shown in pg_stat_activity, so an operator sees which connection listens. */
      applicationName?: string;
      onConnectionLost?: (error: unknown) => void;
    } = {},
  ) {}

  async listen(channel: string, handler: Handler): Promise<() => Promise<void>> {
    if (this.closed) throw new Error('the notification listener is closed');
    let set = this.handlers.get(channel);
    const first = set === undefined;
    if (!set) this.handlers.set(channel, (set = new Set()));
    set.add(handler);
    if (first) {
      try {
        const client = await this.connection();
        await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      } catch (error) {
        set.delete(handler);
        if (set.size === 0) this.handlers.delete(channel);
        throw error;
      }
    }
    return async () => {
      const current = this.handlers.get(channel);
      if (!current?.delete(handler) || current.size > 0) return;
      this.handlers.delete(channel);
      await this.client?.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => undefined);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    this.handlers.clear();
    const client = this.client ?? (await this.connecting?.catch(() => undefined));
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private connection(): Promise<pg.Client> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.open().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async open(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.connectionString,
      application_name: this.options.applicationName ?? 'baton notifications',
    });
    client.on('notification', (message) => {
      for (const handler of this.handlers.get(message.channel) ?? []) handler(message.payload ?? '');
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    await client.connect();
    if (this.closed) {
      await client.end().catch(() => undefined);
      throw new Error('the notification listener is closed');
    }
    this.client = client;
    this.reconnectDelay = RECONNECT_FIRST_MS;
    return client;
  }

  private lost(client: pg.Client, error: unknown): void {
    if (this.client !== client || this.closed) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    this.options.onConnectionLost?.(error);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.handlers.size === 0) return;
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, RECONNECT_MAX_MS);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.relisten();
    }, delay);
    this.reconnectTimer.unref();
  }

  private async relisten(): Promise<void> {
    try {
      const client = await this.connection();
      for (const channel of this.handlers.keys()) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      this.options.onConnectionLost?.(error);
      if (this.client) {
        const broken = this.client;
        this.client = undefined;
        await broken.end().catch(() => undefined);
      }
      this.scheduleReconnect();
    }
  }
}
