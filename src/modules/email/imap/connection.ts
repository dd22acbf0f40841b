import { ImapFlow } from 'imapflow';
import type { Logger } from 'pino';
import type { ImapMailbox } from '../mailboxes/service.js';

export interface ImapConnectionOptions {
  /** Budget for DNS + TCP + TLS. */
  connectionTimeoutMs?: number;
  greetingTimeoutMs?: number;
  /** Inactivity before the connection counts as dead (an IDLE connection is kept alive by re-IDLE). */
  socketTimeoutMs?: number;
  /** IDLE is restarted this often (RFC 2177: servers may drop an IDLE after 30 minutes). */
  maxIdleMs?: number;
  /** Largest message this connection may receive; bigger literals end the connection. */
  maxMessageBytes: number;
}

/**
 * An imapflow client for a mailbox. `tls: true` means implicit TLS, except on port 143 where
 * STARTTLS is required; `tls: false` means a plain connection that upgrades when the server
 * offers STARTTLS. Certificates are verified. Auto-IDLE is off: only the IDLE watcher idles,
 * explicitly (imapflow would otherwise IDLE by itself after 15 s of quiet).
 */
export function createImapClient(mailbox: ImapMailbox, logger: Logger, options: ImapConnectionOptions): ImapFlow {
  const implicitTls = mailbox.tls && mailbox.port !== 143;
  const client = new ImapFlow({
    host: mailbox.host,
    port: mailbox.port,
    secure: implicitTls,
    ...(mailbox.tls && !implicitTls ? { doSTARTTLS: true } : {}),
    auth: { user: mailbox.username, pass: mailbox.password },
    logger: false,
    clientInfo: { name: 'Baton' },
    disableAutoIdle: true,
    connectionTimeout: options.connectionTimeoutMs ?? 30_000,
    greetingTimeout: options.greetingTimeoutMs ?? 16_000,
    socketTimeout: options.socketTimeoutMs ?? 5 * 60_000,
    ...(options.maxIdleMs ? { maxIdleTime: options.maxIdleMs } : {}),
    maxLiteralSize: options.maxMessageBytes + 64 * 1024,
    maxResponseSize: options.maxMessageBytes + 1024 * 1024,
  });
  // Without a listener an 'error' event would crash the process; the caller sees the failure anyway.
  client.on('error', (error: Error) => logger.debug({ err: error, mailboxId: mailbox.id }, 'imap connection error'));
  return client;
}

/** Logs out when signed in on a working connection, and always releases the socket. */
export async function closeImapClient(client: ImapFlow): Promise<void> {
  try {
    if (client.usable && client.authenticated) {
      await Promise.race([client.logout(), new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
    }
  } catch {
    // Already gone: nothing to log out of.
  } finally {
    client.close();
  }
}

/** A sentence for last_error (shown to admins): what failed, with the server's words. Never the password. */
export function describeImapError(error: unknown): string {
  if (!(error instanceof Error)) return String(error).slice(0, 2000);
  const e = error as Error & { authenticationFailed?: boolean; responseText?: string; code?: string };
  let text: string;
  if (e.authenticationFailed) text = `IMAP login failed${e.responseText ? `: ${e.responseText}` : ' (check username and password)'}`;
  else if (e.responseText) text = `${e.message}: ${e.responseText}`;
  else text = e.code && !e.message.includes(e.code) ? `${e.message} (${e.code})` : e.message;
  return text.slice(0, 2000);
}
