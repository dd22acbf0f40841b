import type { AppContext } from '../../context.js';
import { ImapIdleWatcher } from './imap/service.js';
import { InboundMailProcessor } from './processing/inbound-processor.js';
import { startSmtpIntake } from './smtp/service.js';

/**
 * The long-running parts of the email channel, started by src/app.ts per role: the web role
 * listens for SMTP (stateless: every accepted message is in the database before the 250), the
 * worker role turns stored mail into cases and keeps IMAP IDLE connections.
 */
export interface EmailRuntime {
  smtp: { host: string; port: number } | undefined;
  stop(): Promise<void>;
}

export async function startEmailWebRole(ctx: AppContext): Promise<EmailRuntime> {
  if (ctx.config.mail.smtpPort === undefined) return { smtp: undefined, stop: async () => undefined };
  const intake = await startSmtpIntake(ctx);
  return { smtp: { host: ctx.config.mail.smtpHost, port: intake.port }, stop: () => intake.close() };
}

export async function startEmailWorkerRole(ctx: AppContext): Promise<EmailRuntime> {
  const inbound = new InboundMailProcessor(ctx);
  await inbound.start();
  const watcher = new ImapIdleWatcher(ctx);
  await watcher.start();
  return {
    smtp: undefined,
    async stop() {
      await watcher.stop();
      await inbound.stop();
    },
  };
}
