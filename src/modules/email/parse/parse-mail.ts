import { toParsedAttachments } from './attachments.js';
import { bounceReport } from './bounce.js';
import { addressesOf, dateOf, HeaderIndex, headerMap, messageIdOf, messageIdsOf, returnPathOf, subjectOf } from './headers.js';
import { htmlNestingExceeds, sanitizeMailHtml } from './html.js';
import { readMailBody, type MailBody } from './mail-body.js';
import { scanMime, type MimeScan } from './mime-limits.js';
import { DEFAULT_MAIL_LIMITS, type MailLimits, type ParsedMail, type ParseOutcome, type QuarantineCode } from './parsed-mail.js';
import { quoteStart, visibleTextOf } from './quote-split.js';
import { recoverText } from './recover-text.js';
import { isForwarded, autoSignals } from './signals.js';
import { cleanText, truncate } from './text-clean.js';

/**
 * One raw RFC 5322 message to a ParsedMail (parsed-mail.ts), or a quarantine with a reason.
 * Never throws and never hangs: the pre-scan (mime-limits.ts) refuses oversized and over-complex
 * mail before mailparser sees it, mailparser runs under a timeout and is destroyed when it
 * expires, and the synchronous steps after it (HTML sanitizing, quote splitting) only ever get
 * bounded input.
 */

export interface ParseOptions {
  /** How long mailparser may take; 10 s by default. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
// Deeper HTML is not mail a person wrote (browsers flatten beyond 512) and costs the sanitizer dearly.
const MAX_HTML_DEPTH = 1000;

function quarantine(code: QuarantineCode, reason: string): ParseOutcome {
  return { ok: false, quarantine: { code, reason: truncate(cleanText(reason), 500) } };
}

function limitsOf(partial: Partial<MailLimits> | undefined): MailLimits {
  const limits: MailLimits = { ...DEFAULT_MAIL_LIMITS };
  for (const key of Object.keys(limits) as (keyof MailLimits)[]) {
    const value = partial?.[key];
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) limits[key] = Math.floor(value);
  }
  return limits;
}

/** What mailparser failed with, as a quarantine (its own size limits are a backstop to ours). */
function parserFailure(error: unknown): ParseOutcome {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'EMAXLEN') {
    return /child nodes/i.test(message)
      ? quarantine('mail.too_many_parts', `MIME parser stopped: ${message}`)
      : quarantine('mail.header_too_large', `MIME parser stopped: ${message}`);
  }
  return quarantine('mail.unparseable', `MIME parser failed: ${message}`);
}

/** The charset 8-bit header bytes most likely use: the message's own, else its first text part's. */
function headerCharset(scan: MimeScan): string | null {
  return scan.entities[0]!.charset ?? scan.entities.find((e) => e.charset !== null)?.charset ?? null;
}

function assemble(raw: Buffer, scan: MimeScan, body: MailBody): ParseOutcome {
  const headers = new HeaderIndex(scan.headers, headerCharset(scan));
  const from = addressesOf([headers.first('from') ?? ''])[0] ?? null;
  const subject = subjectOf(headers.first('subject'));
  const returnPath = returnPathOf(headers.first('return-path'));

  let html = body.html === null ? null : recoverText(raw, scan, 'text/html', body.html);
  if (html !== null && htmlNestingExceeds(html, MAX_HTML_DEPTH)) {
    return quarantine('mail.unparseable', `HTML part nests elements more than ${MAX_HTML_DEPTH} levels deep`);
  }
  let text = cleanText(recoverText(raw, scan, 'text/plain', body.text));
  const needText = text.trim() === '';
  const sanitized = html === null ? null : sanitizeMailHtml(html, needText);
  html = sanitized?.html ?? null;
  if (needText && sanitized?.text) text = sanitized.text;

  const quoteAt = quoteStart(text);
  const forwarded = isForwarded(subject, text, quoteAt);
  const mail: ParsedMail = {
    messageId: messageIdOf(headers.first('message-id')),
    inReplyTo: messageIdsOf(headers.first('in-reply-to')),
    references: messageIdsOf(headers.all('references').join(' ')),
    subject,
    from,
    replyTo: addressesOf([headers.first('reply-to') ?? '']),
    to: addressesOf(headers.all('to')),
    cc: addressesOf(headers.all('cc')),
    date: dateOf(headers.first('date')),
    returnPath,
    text,
    visibleText: cleanText(visibleTextOf(text, forwarded, quoteAt)),
    html,
    attachments: toParsedAttachments(body.attachments, sanitized?.cids ?? new Set()),
    auto: autoSignals(headers, from, returnPath),
    bounce: bounceReport(raw, scan),
    forwarded,
    headers: headerMap(headers),
  };
  return { ok: true, mail };
}

export async function parseMail(raw: Buffer, limits?: Partial<MailLimits>, options?: ParseOptions): Promise<ParseOutcome> {
  let running: ReturnType<typeof readMailBody> | null = null;
  let timer: NodeJS.Timeout | undefined;
  try {
    const input: unknown = raw;
    if (!(input instanceof Uint8Array)) return quarantine('mail.unparseable', 'The message is not a byte buffer');
    const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    if (bytes.every((b) => b === 0x20 || b === 0x09 || b === 0x0d || b === 0x0a)) {
      return quarantine('mail.unparseable', 'The message is empty');
    }
    const effective = limitsOf(limits);
    const scanned = scanMime(bytes, effective);
    if (!scanned.ok) return quarantine(scanned.code, scanned.reason);

    const timeoutMs = options?.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    running = readMailBody(bytes, effective);
    const expired = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), timeoutMs);
    });
    let body: MailBody | null;
    try {
      body = await Promise.race([running.result, expired]);
    } catch (error) {
      running.abort();
      return parserFailure(error);
    }
    if (body === null) {
      running.abort();
      return quarantine('mail.parse_timeout', `Parsing took longer than the limit of ${timeoutMs} ms`);
    }
    return assemble(bytes, scanned.scan, body);
  } catch (error) {
    running?.abort();
    return quarantine('mail.unparseable', `Parsing failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    clearTimeout(timer);
  }
}
