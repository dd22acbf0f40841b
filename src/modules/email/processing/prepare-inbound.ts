import type { AppContext } from '../../../context.js';
import { prepareUpload, type PreparedUpload } from '../../files/service.js';
import { parseMail } from '../parse/parse-mail.js';
import type { MailLimits, ParseOutcome } from '../parse/parsed-mail.js';
import { peekHeaders, type HeaderPeek } from './header-peek.js';
import { loadRawMail, type PendingInboundMail } from './inbound-store.js';
import { AUTH_NOT_CHECKED, authenticateMail, type MailAuthResolver, type MailAuthResults } from './mail-authentication.js';

/**
 * The slow, database-free half of processing one message, done before its transaction opens:
 * parsing, sender authentication (DNS) and writing attachment bytes to file storage
 * (content-addressed, so a message processed twice stores its files once).
 */

export interface PreparedAttachment {
  upload: PreparedUpload;
  contentId: string | null;
  inline: boolean;
}

export interface PreparedInbound {
  row: PendingInboundMail;
  parsed: ParseOutcome;
  auth: MailAuthResults;
  attachments: PreparedAttachment[];
  /** From/Subject/Message-ID read from the raw header block (for mail the parser refused). */
  peek: HeaderPeek;
}

export interface PrepareOptions {
  limits?: Partial<MailLimits> | undefined;
  auth?: { enabled?: boolean | undefined; resolver?: MailAuthResolver | undefined } | undefined;
}

export async function prepareInbound(ctx: AppContext, row: PendingInboundMail, options: PrepareOptions): Promise<PreparedInbound | null> {
  const raw = row.raw ?? (await loadRawMail(ctx.db, row.id));
  if (raw === null) return null;
  const peek = peekHeaders(raw);
  const parsed = await parseMail(raw, { maxBytes: ctx.config.mail.maxMessageBytes, ...options.limits });
  const prepared: PreparedInbound = { row, parsed, auth: AUTH_NOT_CHECKED, attachments: [], peek };
  if (!parsed.ok) return prepared;
  const mail = parsed.mail;
  // Our own mail coming back and bounces get no case message: no need to check or store anything.
  if (mail.auto.ownLoop || mail.bounce) return prepared;
  prepared.auth = await authenticateMail(
    raw,
    { source: row.source, remoteIp: row.remote_ip, helo: row.helo, envelopeFrom: row.envelope_from },
    {
      enabled: options.auth?.enabled ?? ctx.config.mail.authChecks,
      resolver: options.auth?.resolver,
      mta: ctx.config.mail.smtpHost,
    },
  );
  for (const attachment of mail.attachments) {
    prepared.attachments.push({
      upload: await prepareUpload(ctx, { filename: attachment.filename, bytes: attachment.bytes }),
      contentId: attachment.contentId,
      inline: attachment.inline,
    });
  }
  return prepared;
}
