import type { Logger } from 'pino';

/**
 * Runs a background pass (drain the outbox, run due jobs) on demand: a kick while a pass runs
 * schedules exactly one more pass after it, so a burst of notifications costs two passes, not
 * one per notification. Also polls, since a notification can be missed across a reconnect.
 */
export class CoalescedPass {
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly name: string,
    private readonly pass: () => Promise<unknown>,
    private readonly logger: Logger,
  ) {}

  poll(intervalMs: number): void {
    this.timer = setInterval(() => this.kick(), intervalMs);
    this.timer.unref();
  }

  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass()
      .then(() => undefined)
      .catch((error: unknown) => this.logger.error({ err: error }, `${this.name} pass failed`))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Resolves once no pass is running (including a pass scheduled by a kick during the last one). */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops polling and waits for the pass in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
