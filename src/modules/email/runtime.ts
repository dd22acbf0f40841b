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
  let intake;
  try {
    intake = await startSmtpIntake(ctx);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      const { smtpHost, smtpPort } = ctx.config.mail;
      throw Object.assign(
        new Error(
          `Baton's SMTP server cannot listen on ${smtpHost}:${smtpPort} (${code === 'EADDRINUSE' ? 'the port is in use' : 'permission denied'}). ` +
            'Set BATON_SMTP_PORT to a free port, or BATON_SMTP_PORT=off to receive mail by IMAP only.',
          { cause: error },
        ),
        // src/main.ts prints a start-up error's message alone, without a stack trace.
        { name: 'StartupError' },
      );
    }
    throw error;
  }
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
