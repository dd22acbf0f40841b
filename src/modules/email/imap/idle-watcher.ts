import type { ImapFlow } from 'imapflow';
import type { Logger } from 'pino';
import type { AppContext } from '../../../context.js';
import { listImapMailboxes, type ImapMailbox } from '../mailboxes/service.js';
import { closeImapClient, createImapClient, type ImapConnectionOptions } from './connection.js';
import { requestImapSync } from './schedule.js';

/**
 * Push for IMAP mailboxes (worker role): one IDLE connection per active IMAP mailbox whose server
 * supports IDLE. When the server reports new messages, a sync job is queued at once; the sync
 * itself runs in the job (its own connection), so this connection only ever idles. Lost
 * connections come back with exponential backoff. Polling stays on as the fallback.
 */
export interface ImapIdleWatcherOptions {
  /** How often the list of IMAP mailboxes is re-read (new, changed, removed mailboxes). */
  refreshMs?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  connection?: Omit<ImapConnectionOptions, 'maxMessageBytes'>;
}

const DEFAULTS = { refreshMs: 60_000, initialBackoffMs: 2_000, maxBackoffMs: 5 * 60_000 };
// Re-issue IDLE well before the 30 minutes after which RFC 2177 lets a server drop it.
const MAX_IDLE_MS = 10 * 60_000;

/** What a watch depends on: a change of any of these reconnects. */
function fingerprint(m: ImapMailbox): string {
  return JSON.stringify([m.host, m.port, m.tls, m.username, m.password, m.folder]);
}

export class ImapIdleWatcher {
  private readonly watches = new Map<string, MailboxWatch>();
  private readonly logger: Logger;
  private readonly options: typeof DEFAULTS & ImapIdleWatcherOptions;
  private refreshTimer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly ctx: AppContext,
    options: ImapIdleWatcherOptions = {},
  ) {
    this.logger = ctx.logger.child({ module: 'imap-idle' });
    this.options = { ...DEFAULTS, ...options };
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.refresh();
    this.refreshTimer = setInterval(() => {
      this.refresh().catch((error: unknown) => this.logger.warn({ err: error }, 'imap idle: reading mailboxes failed'));
    }, this.options.refreshMs);
    this.refreshTimer.unref();
  }

  /** Starts, restarts and ends watches to match the active IMAP mailboxes. */
  refresh(): Promise<void> {
    return (this.refreshing ??= this.reconcile().finally(() => (this.refreshing = undefined)));
  }

  private async reconcile(): Promise<void> {
    const mailboxes = await listImapMailboxes(this.ctx.db, this.ctx.secret);
    if (this.stopped) return;
    const wanted = new Map(mailboxes.map((m) => [m.id, m]));
    const ending: Promise<void>[] = [];
    for (const [id, watch] of this.watches) {
      const mailbox = wanted.get(id);
      if (!mailbox || fingerprint(mailbox) !== watch.fingerprint) {
        this.watches.delete(id);
        ending.push(watch.stop());
      }
    }
    await Promise.all(ending);
    for (const mailbox of mailboxes) {
      if (this.watches.has(mailbox.id) || this.stopped) continue;
      this.watches.set(mailbox.id, new MailboxWatch(this.ctx, mailbox, this.logger, this.options));
    }
  }

  /** True while the mailbox's connection is in IDLE (tests wait for it). */
  isIdling(mailboxId: string): boolean {
    return this.watches.get(mailboxId)?.idling ?? false;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.refreshTimer);
    await this.refreshing?.catch(() => undefined);
    const watches = [...this.watches.values()];
    this.watches.clear();
    await Promise.all(watches.map((w) => w.stop()));
  }
}

class MailboxWatch {
  readonly fingerprint: string;
  private client: ImapFlow | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;
  private readonly done: Promise<void>;

  constructor(
    private readonly ctx: AppContext,
    private readonly mailbox: ImapMailbox,
    private readonly logger: Logger,
    private readonly options: typeof DEFAULTS & ImapIdleWatcherOptions,
  ) {
    this.fingerprint = fingerprint(mailbox);
    this.done = this.run();
  }

  get idling(): boolean {
    return this.client?.idling ?? false;
  }

  private newMail(): void {
    requestImapSync(this.ctx.db, this.mailbox.id).catch((error: unknown) =>
      this.logger.warn({ err: error, mailboxId: this.mailbox.id }, 'imap idle: queueing a sync failed'),
    );
  }

  private async run(): Promise<void> {
    let backoff = this.options.initialBackoffMs;
    while (!this.stopped) {
      const client = createImapClient(this.mailbox, this.logger, {
        ...this.options.connection,
        maxIdleMs: MAX_IDLE_MS,
        maxMessageBytes: this.ctx.config.mail.maxMessageBytes,
      });
      this.client = client;
      try {
        await client.connect();
        if (!client.capabilities.has('IDLE')) {
          this.logger.info({ mailboxId: this.mailbox.id }, 'imap server has no IDLE: polling only');
          return;
        }
        // Read-only (EXAMINE): watching must not change the folder.
        await client.mailboxOpen(this.mailbox.folder, { readOnly: true });
        client.on('exists', (event: { count: number; prevCount: number }) => {
          if (event.count > event.prevCount) this.newMail();
        });
        backoff = this.options.initialBackoffMs;
        // Whatever arrived while this connection was down.
        this.newMail();
        while (!this.stopped && client.usable) {
          if ((await client.idle()) === false) break;
        }
      } catch (error) {
        if (!this.stopped) this.logger.warn({ err: error, mailboxId: this.mailbox.id }, 'imap idle connection failed');
      } finally {
        await closeImapClient(client);
      }
      if (this.stopped) return;
      await this.sleep(backoff);
      backoff = Math.min(backoff * 2, this.options.maxBackoffMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    this.client?.close();
    await this.done;
  }
}
