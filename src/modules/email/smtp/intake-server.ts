import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerEnvelope, type SMTPServerSession } from 'smtp-server';
import type { AppContext } from '../../../context.js';
import { RateLimitedError } from '../../../platform/errors.js';
import { hitRateLimit } from '../../../platform/rate-limit.js';
import { acceptInboundMail, findMailboxesByRecipients, type MailboxRoute } from '../intake-store.js';
import { baseAddress } from '../reply-address.js';
import { senderThrottled, temporaryFailure, tooLarge, unknownRecipient } from './replies.js';

/**
 * Baton's inbound SMTP server (MX style: no AUTH, mail only for the addresses of active
 * mailboxes). A message is answered 250 only after its raw bytes are committed to
 * `inbound_mail`; if the database fails the answer is 451 and the sending server retries, so
 * accepted mail is never lost. Parsing and cases happen later, in the worker.
 */
export interface SmtpIntakeOptions {
  /** 0 picks a free port (tests). Default: BATON_SMTP_PORT. */
  port?: number;
  host?: string;
  /** Messages per envelope sender (CONVENTIONS security rule 3). Default 300 per 10 minutes. */
  senderLimit?: { limit: number; windowSeconds: number };
  maxClients?: number;
  /** Idle time before a client is disconnected. */
  socketTimeoutMs?: number;
  /** How long close() waits for open sessions before cutting them. */
  closeTimeoutMs?: number;
}

export interface SmtpIntake {
  port: number;
  close(): Promise<void>;
}

const MAX_RECIPIENTS = 50;
const DEFAULT_SENDER_LIMIT = { limit: 300, windowSeconds: 600 };

export async function startSmtpIntake(ctx: AppContext, options: SmtpIntakeOptions = {}): Promise<SmtpIntake> {
  const { mail } = ctx.config;
  const logger = ctx.logger.child({ module: 'smtp' });
  const port = options.port ?? mail.smtpPort;
  if (port === undefined) throw new Error('startSmtpIntake: no port (BATON_SMTP_PORT is off)');
  const host = options.host ?? mail.smtpHost;
  const maxBytes = mail.maxMessageBytes;
  const senderLimit = options.senderLimit ?? DEFAULT_SENDER_LIMIT;
  const tls =
    mail.smtpTlsCert && mail.smtpTlsKey ? { cert: fs.readFileSync(mail.smtpTlsCert), key: fs.readFileSync(mail.smtpTlsKey) } : undefined;

  // Mailboxes resolved at RCPT TO, per transaction (smtp-server makes a new envelope object for each).
  const routes = new WeakMap<SMTPServerEnvelope, Map<string, MailboxRoute>>();

  const server = new SMTPServer({
    banner: 'Baton',
    logger: false,
    authOptional: true,
    // Without a certificate STARTTLS is switched off, not hidden: hidden, it would still work with
    // smtp-server's built-in test certificate, whose private key is public.
    disabledCommands: tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(tls ?? {}),
    size: maxBytes,
    maxRecipients: MAX_RECIPIENTS,
    maxClients: options.maxClients ?? 100,
    socketTimeout: options.socketTimeoutMs ?? 60_000,
    closeTimeout: options.closeTimeoutMs ?? 10_000,
    disableReverseLookup: true,

    onMailFrom(address, session, callback) {
      // The null sender (bounces) is throttled per connecting address instead.
      const sender = address.address ? baseAddress(address.address).slice(0, 254) : `<>@${session.remoteAddress}`;
      hitRateLimit(ctx.db, { bucket: `smtp:sender:${sender}`, ...senderLimit }).then(
        () => callback(),
        (error: unknown) => {
          if (error instanceof RateLimitedError) {
            logger.warn({ sender, remoteIp: session.remoteAddress }, 'inbound mail throttled');
            callback(senderThrottled(error.retryAfterSeconds));
          } else {
            logger.error({ err: error }, 'sender throttle check failed');
            callback(temporaryFailure());
          }
        },
      );
    },

    onRcptTo(address, session, callback) {
      findMailboxesByRecipients(ctx.db, [address.address]).then(
        (found) => {
          const mailbox = found.get(address.address);
          if (!mailbox) return callback(unknownRecipient(address.address));
          const known = routes.get(session.envelope) ?? new Map<string, MailboxRoute>();
          known.set(address.address, mailbox);
          routes.set(session.envelope, known);
          callback();
        },
        (error: unknown) => {
          logger.error({ err: error }, 'recipient lookup failed');
          callback(temporaryFailure());
        },
      );
    },

    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      let size = 0;
      let failed = false;
      stream.on('data', (chunk: Buffer) => {
        // Past the limit the rest is drained, not kept: memory stays bounded by the size limit.
        if (size + chunk.length <= maxBytes) {
          chunks.push(chunk);
          size += chunk.length;
        }
      });
      stream.on('error', (error) => {
        failed = true;
        logger.warn({ err: error }, 'message stream failed');
        callback(temporaryFailure());
      });
      stream.on('end', () => {
        if (failed) return;
        if (stream.sizeExceeded || stream.byteLength > maxBytes) {
          logger.info({ bytes: stream.byteLength, limit: maxBytes, remoteIp: session.remoteAddress }, 'oversized message refused');
          return callback(tooLarge(maxBytes));
        }
        const raw = Buffer.concat(chunks, size);
        store(raw, session).then(
          (ids) => callback(null, `2.6.0 Message accepted as ${ids.join(',')}`),
          (error: unknown) => {
            logger.error({ err: error, remoteIp: session.remoteAddress }, 'storing inbound mail failed; answered 451');
            callback(temporaryFailure());
          },
        );
      });
    },
  });

  async function store(raw: Buffer, session: SMTPServerSession): Promise<string[]> {
    const known = routes.get(session.envelope);
    const recipients = session.envelope.rcptTo.flatMap((r) => {
      const mailbox = known?.get(r.address);
      return mailbox ? [{ address: r.address, mailbox }] : [];
    });
    if (recipients.length === 0) throw new Error('no resolved recipients for this transaction');
    const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : null;
    const ids = await acceptInboundMail(ctx.db, {
      source: 'smtp',
      raw,
      envelopeFrom,
      recipients,
      remoteIp: session.remoteAddress,
      helo: session.hostNameAppearsAs || null,
    });
    logger.info(
      { ids, from: envelopeFrom, to: recipients.map((r) => r.address), bytes: raw.length, remoteIp: session.remoteAddress },
      'inbound mail stored',
    );
    return ids;
  }

  server.on('error', (error) => logger.warn({ err: error }, 'smtp connection error'));

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.server.once('error', onError);
    server.listen(port, host, () => {
      server.server.off('error', onError);
      resolve();
    });
  });
  const boundPort = (server.server.address() as AddressInfo).port;
  logger.info({ host, port: boundPort, starttls: Boolean(tls), maxBytes }, 'SMTP intake listening');

  let closing: Promise<void> | undefined;
  return {
    port: boundPort,
    close: () => (closing ??= new Promise<void>((resolve) => server.close(() => resolve()))),
  };
}
