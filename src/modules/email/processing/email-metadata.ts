import type { JsonObject } from '../../../platform/schema.js';
import type { MailAddress, ParsedMail } from '../parse/parsed-mail.js';
import type { MailAuthResults } from './mail-authentication.js';

/**
 * What a case message keeps of its email: `metadata.email` (small, shown with the message) and
 * the body text the case stores. The raw message stays in inbound_mail; the sanitized HTML and
 * the header fields go to email_message_bodies.
 */

/** cases refuses longer bodies (cases/text.ts MAX_BODY). */
const MAX_BODY = 100_000;
const MAX_SUBJECT = 300;
const MAX_LISTED_ADDRESSES = 50;
/** Sanitized HTML kept per message; the rest is cut (the raw message has all of it). */
export const MAX_HTML = 2_000_000;

const TRUNCATED_NOTE = '\n\n[…] This email is longer than shown here; the original message has the full text.';

export function caseSubject(mail: ParsedMail): string {
  const subject = mail.subject.replace(/\s+/g, ' ').trim();
  return (subject || '(no subject)').slice(0, MAX_SUBJECT);
}

/** The text a case message stores: never empty, never over the cases limit. */
export function messageBody(mail: ParsedMail, attachmentCount: number): { text: string; truncated: boolean } {
  const text = mail.text.replaceAll('\u0000', '');
  if (text.trim().length === 0) {
    return {
      text: attachmentCount > 0 ? `(No text; ${attachmentCount} attachment${attachmentCount === 1 ? '' : 's'})` : '(No text)',
      truncated: false,
    };
  }
  if (text.length <= MAX_BODY) return { text, truncated: false };
  return { text: text.slice(0, MAX_BODY - TRUNCATED_NOTE.length) + TRUNCATED_NOTE, truncated: true };
}

const addressView = (a: MailAddress) => ({ address: a.address, name: a.name });
const addressList = (list: MailAddress[]) => list.slice(0, MAX_LISTED_ADDRESSES).map(addressView);

export function authView(auth: MailAuthResults): JsonObject {
  return { spf: auth.spf, dkim: auth.dkim, dmarc: auth.dmarc, verdict: auth.verdict };
}

export interface EmailMetadataInput {
  mailboxId: string;
  inboundMailId: string;
  messageIdHeader: string;
  mail: ParsedMail;
  sender: MailAddress;
  auth: MailAuthResults;
  remoteImages: boolean;
  cidMap: Record<string, string>;
  truncated: boolean;
  threadedBy: string | null;
  followUpOf: number | null;
}

export function emailMetadata(input: EmailMetadataInput): JsonObject {
  const { mail } = input;
  const email: JsonObject = {
    mailbox_id: input.mailboxId,
    inbound_mail_id: input.inboundMailId,
    message_id: input.messageIdHeader,
    from: addressView(input.sender),
    to: addressList(mail.to),
    cc: addressList(mail.cc),
    reply_to: addressList(mail.replyTo),
    subject: mail.subject,
    date: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date.toISOString() : null,
    auth: authView(input.auth),
    has_html: mail.html !== null,
    remote_images: input.remoteImages,
    visible_text: mail.visibleText.replaceAll('\u0000', '').slice(0, MAX_BODY),
    auto: { ...mail.auto },
    forwarded: mail.forwarded,
    cid_map: input.cidMap,
  };
  if (input.truncated) email.truncated = true;
  if (input.threadedBy) email.threaded_by = input.threadedBy;
  if (input.followUpOf !== null) email.follow_up_of = input.followUpOf;
  return { email };
}
