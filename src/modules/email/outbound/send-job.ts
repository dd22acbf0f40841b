import { createTransport } from 'nodemailer';
import type { SMTPTransportOptions } from 'nodemailer/lib/smtp-transport';
import type { AppContext } from '../../../context.js';
import type { Db } from '../../../db/database.js';
import { AppError } from '../../../platform/errors.js';
import type { JobHandler } from '../../../platform/jobs.js';
import { addressOf } from './addresses.js';
import { composeOutboundMail } from './compose.js';
import { MAX_SEND_ATTEMPTS, SEND_QUEUE } from './queue.js';
import { failWithoutAttempt, findOutboundMailForSending, recordSendAttempt, saveComposedRaw } from './store.js';

/**
 * The 'email.send' job: composes the mail once (the bytes are stored before the first try, so a
 * retry sends exactly the same message), then hands it to the relay. A temporary failure (4xx,
 * connection refused, timeout) throws, and the job queue retries with exponential backoff; a
 * permanent one (5xx) marks the mail failed. Without a relay the mail is kept for the sent-mail
 * viewer. Delivery is at least once: a crash between the relay's 250 and our update sends the
 * same message (same Message-ID) again, which mail programs show once.
 */

type Transport = ReturnType<typeof smtpTransport>;
const smtpTransport = (options: SMTPTransportOptions) => createTransport(options);
const transports = new Map<string, Transport>();
let keptNoticeLogged = false;

/** One SMTP transport per relay URL and process (the URL comes from configuration, read once at start-up). */
function transportFor(url: string): Transport {
  let transport = transports.get(url);
  if (!transport) {
    transport = smtpTransport({ url, connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 });
    transports.set(url, transport);
  }
  return transport;
}

interface SmtpFailure {
  permanent: boolean;
  message: string;
}

function classify(error: unknown): SmtpFailure {
  const e = (error ?? {}) as { message?: unknown; response?: unknown; responseCode?: unknown; permanent?: unknown; code?: unknown };
  const code = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  // RFC 5321: 5yz is a permanent refusal (503 only a session in the wrong state); everything else,
  // 4yz and failures without a reply (refused connection, timeout, TLS), may work later.
  const permanent = e.permanent === true || (code !== undefined && code >= 500 && code < 600 && code !== 503);
  const text = typeof e.response === 'string' ? e.response : typeof e.message === 'string' ? e.message : String(error);
  const prefix = typeof e.code === 'string' && !text.includes(e.code) ? `${e.code}: ` : '';
  return { permanent, message: `${prefix}${text}`.slice(0, 2000) };
}

export type SendPayload = { outbound_mail_id: string };

export async function sendOutboundMail(ctx: AppContext, db: Db, id: string): Promise<void> {
  const row = await findOutboundMailForSending(db, id);
  // Already sent, kept or failed (a job run twice, a retry enqueued twice): nothing to do.
  if (!row || row.status !== 'queued') return;

  let raw: Buffer;
  if (row.raw) {
    raw = Buffer.from(row.raw);
  } else {
    try {
      raw = await composeOutboundMail(ctx, db, row);
    } catch (error) {
      // A database hiccup may pass; a message that cannot be built (an attachment's file is gone) will not.
      if (!(error instanceof AppError)) throw error;
      await failWithoutAttempt(db, id, `Could not compose the message: ${error.message}`);
      ctx.logger.error({ err: error, outboundMailId: id }, 'outgoing mail could not be composed');
      return;
    }
    await saveComposedRaw(db, id, raw);
  }

  const relayUrl = ctx.config.mail.relayUrl;
  if (!relayUrl) {
    await recordSendAttempt(db, id, { status: 'kept', lastError: null });
    if (!keptNoticeLogged) {
      keptNoticeLogged = true;
      ctx.logger.info('No mail relay configured (BATON_MAIL_RELAY_URL): outgoing mail is kept in the sent-mail viewer, not sent');
    }
    return;
  }

  const from = addressOf(row.from_address);
  const recipients = [...row.to_addresses, ...row.cc_addresses].map(addressOf).filter((a): a is string => a !== null);
  try {
    const info = await transportFor(relayUrl).sendMail({ envelope: { from: from ?? '', to: recipients }, raw });
    const rejected = info.rejected.map(String);
    await recordSendAttempt(db, id, {
      status: 'sent',
      lastError: rejected.length > 0 ? `The relay refused some recipients: ${rejected.join(', ')}` : null,
    });
  } catch (error) {
    const failure = classify(error);
    const givingUp = failure.permanent || row.attempts + 1 >= MAX_SEND_ATTEMPTS;
    if (givingUp) {
      const lastError = failure.permanent ? failure.message : `Gave up after ${row.attempts + 1} attempts: ${failure.message}`;
      await recordSendAttempt(db, id, { status: 'failed', lastError });
      ctx.logger.warn({ outboundMailId: id, error: lastError }, 'outgoing mail failed');
      return;
    }
    await recordSendAttempt(db, id, { status: 'queued', lastError: failure.message });
    // The job queue retries with backoff (platform/jobs.ts retryDelayMs).
    throw new Error(`Temporary mail relay failure, will retry: ${failure.message}`, { cause: error });
  }
}

export function outboundMailJob(ctx: AppContext): JobHandler<SendPayload> {
  return {
    queue: SEND_QUEUE,
    async run(payload, db) {
      if (typeof payload.outbound_mail_id !== 'string') return;
      await sendOutboundMail(ctx, db, payload.outbound_mail_id);
    },
  };
}
