/**
 * What the email parser (parse/) hands to intake processing: everything Baton needs from one raw
 * RFC 5322 message, already decoded, cleaned (no NUL, valid UTF-8) and bounded. Parsing never
 * throws for bad input: it returns a `ParseOutcome` with `quarantine` instead.
 */

export interface MailAddress {
  /** Lower-cased, trimmed; plus-addressing kept (support+c123.abc@...). */
  address: string;
  /** Display name, decoded (RFC 2047), control characters removed; '' when absent. */
  name: string;
}

export interface ParsedAttachment {
  filename: string;
  /** Declared type (the files module decides the real one from the bytes). */
  contentType: string;
  bytes: Buffer;
  /** Content-ID without angle brackets, for inline `cid:` images (RFC 2392). */
  contentId: string | null;
  inline: boolean;
}

/** RFC 3834 / common practice: mail that must never get an automatic answer. */
export interface AutoMailSignals {
  /** Auto-Submitted other than `no`. */
  autoSubmitted: boolean;
  /** Precedence: bulk | list | junk. */
  bulkPrecedence: boolean;
  /** Any List-* header (RFC 2369). */
  listHeaders: boolean;
  /** Empty Return-Path `<>` (envelope null sender) or mailer-daemon / no-reply senders. */
  nullOrDaemonSender: boolean;
  /** X-Autoreply, X-Autorespond, X-Auto-Response-Suppress and similar vendor headers. */
  vendorAutoReply: boolean;
  /** Our own loop header (X-Baton-Loop) seen: mail we sent came back. */
  ownLoop: boolean;
}

/** A delivery status notification (RFC 3464 / 6522) about mail we sent. */
export interface BounceReport {
  /** Failed recipients with their status code (5.x.x permanent, 4.x.x transient). */
  recipients: { address: string; status: string; action: string; diagnostic: string }[];
  /** Message-ID of the original message (from the message/rfc822 or text/rfc822-headers part). */
  originalMessageId: string | null;
  /** True when every recipient failed permanently (status 5.x.x, action failed). */
  permanent: boolean;
}

export interface ParsedMail {
  /** Without angle brackets; null when the message had none (processing then derives one). */
  messageId: string | null;
  /** In-Reply-To and References ids, without angle brackets, de-duplicated, in header order. */
  inReplyTo: string[];
  references: string[];
  /** Decoded subject (encoded words, any charset), '' when absent; at most 998 characters. */
  subject: string;
  from: MailAddress | null;
  replyTo: MailAddress[];
  to: MailAddress[];
  cc: MailAddress[];
  /** Date header when it parses, else null. */
  date: Date | null;
  /** Return-Path (envelope sender as recorded by the last MTA), '' for the null sender `<>`, null when absent. */
  returnPath: string | null;
  /** The whole plain-text body (from text/plain, else converted from HTML), NUL-free. */
  text: string;
  /** What the agent sees first: the text without quoted history and signature (never empty when text is not). */
  visibleText: string;
  /** Sanitized HTML (allowlist) or null when the message has no HTML part; `cid:` sources left as `cid:...`. */
  html: string | null;
  attachments: ParsedAttachment[];
  auto: AutoMailSignals;
  /** Set when the message is a DSN bounce. */
  bounce: BounceReport | null;
  /** The message is a forward (Fwd:/WG: subject or an attached message/rfc822 with a forward marker). */
  forwarded: boolean;
  /** Raw header lines by lower-cased name (first value), for display and diagnostics; bounded. */
  headers: Record<string, string>;
}

export interface MailLimits {
  maxBytes: number;
  maxHeaderBytes: number;
  maxHeaderCount: number;
  maxMimeDepth: number;
  maxParts: number;
  maxParameters: number;
}

export const DEFAULT_MAIL_LIMITS: MailLimits = {
  maxBytes: 25 * 1024 * 1024,
  maxHeaderBytes: 256 * 1024,
  maxHeaderCount: 1000,
  maxMimeDepth: 20,
  maxParts: 500,
  maxParameters: 50,
};

export type QuarantineCode =
  | 'mail.too_large'
  | 'mail.header_too_large'
  | 'mail.too_many_headers'
  | 'mail.mime_too_deep'
  | 'mail.too_many_parts'
  | 'mail.too_many_parameters'
  | 'mail.unparseable'
  | 'mail.parse_timeout';

export type ParseOutcome = { ok: true; mail: ParsedMail } | { ok: false; quarantine: { code: QuarantineCode; reason: string } };
