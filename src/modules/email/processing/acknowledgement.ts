import type { Db } from '../../../db/database.js';
import { isLocale, t, type Locale } from '../../../platform/i18n/index.js';
import { formatMailbox } from '../outbound/addresses.js';
import { queueOutboundMail } from '../outbound/queue.js';
import { replyAddressFor } from '../reply-address.js';
import { acknowledgementAllowed, recordAcknowledgementSent } from './automatic-mail.js';
import type { MailboxRow } from './inbound-store.js';

/**
 * The automatic "we received your request" mail for a case a message just opened: the mailbox's
 * own template or the built-in one in the customer's language, the case number as `[#1234]` in
 * the subject, the case's signed reply address as Reply-To, threaded onto the customer's mail.
 */

const MAX_SUBJECT = 300;

/** Header-safe text: one line, no control characters. */
function oneLine(value: string, max: number): string {
  return (
    value
      // eslint-disable-next-line no-control-regex -- stripping control characters is the point
      .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, max)
  );
}

/** Body-safe text: line breaks kept, other control characters dropped. */
function plainText(value: string): string {
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  return value.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

export interface AcknowledgementValues {
  caseNumber: number;
  subject: string;
  customerName: string;
}

/** Fills {{case_number}}, {{subject}} and {{customer_name}}; unknown placeholders stay as written. */
export function fillTemplate(template: string, values: AcknowledgementValues, singleLine: boolean): string {
  const clean = (v: string) => (singleLine ? oneLine(v, MAX_SUBJECT) : oneLine(v, 1000));
  const filled = template.replace(/\{\{\s*(case_number|subject|customer_name)\s*\}\}/g, (_whole, name: string) => {
    if (name === 'case_number') return String(values.caseNumber);
    if (name === 'subject') return clean(values.subject);
    return clean(values.customerName);
  });
  return singleLine ? oneLine(filled, 998) : plainText(filled);
}

/** The primary subtag of a language tag when Baton has a catalog for it. */
function localeOf(language: string | null | undefined): Locale | null {
  const primary = (language ?? '').trim().toLowerCase().split(/[-_]/)[0];
  return isLocale(primary) ? primary : null;
}

export function acknowledgementText(
  mailbox: Pick<MailboxRow, 'name' | 'ack_subject' | 'ack_body'>,
  values: AcknowledgementValues,
  locale: Locale,
): { subject: string; body: string } {
  const token = `[#${values.caseNumber}]`;
  let subject = mailbox.ack_subject
    ? fillTemplate(mailbox.ack_subject, values, true)
    : oneLine(t(locale, 'email.ack.subject', { number: values.caseNumber, subject: oneLine(values.subject, MAX_SUBJECT) }), 998);
  // The token threads the customer's answer even when the template forgot it.
  if (!subject.includes(token)) subject = oneLine(`${subject} ${token}`, 998);
  const name = oneLine(values.customerName, 200);
  const body = mailbox.ack_body
    ? fillTemplate(mailbox.ack_body, values, false)
    : [
        name ? t(locale, 'email.ack.greeting', { name }) : t(locale, 'email.ack.greeting_anonymous'),
        '',
        t(locale, 'email.ack.body', { number: values.caseNumber }),
        '',
        t(locale, 'email.ack.signature', { team: oneLine(mailbox.name, 100) }),
        '',
        '--',
        t(locale, 'email.ack.automatic_note'),
      ].join('\n');
  return { subject, body };
}

export interface AcknowledgementInput {
  secret: string;
  workspaceId: string;
  mailbox: MailboxRow;
  caseId: string;
  caseNumber: number;
  /** The subject the customer wrote (the case's subject). */
  subject: string;
  customerName: string;
  /** The customer's language when known (Content-Language, or an existing customer's profile). */
  language: string | null;
  to: string;
  undeliverable: boolean;
  /** The customer's Message-ID and References, without angle brackets. */
  inReplyTo: string;
  references: string[];
}

/** Queues the acknowledgement if the policy allows one; returns the outbound mail id or null. */
export async function acknowledgeNewCase(tx: Db, input: AcknowledgementInput): Promise<string | null> {
  const allowed = await acknowledgementAllowed(tx, {
    workspaceId: input.workspaceId,
    caseId: input.caseId,
    address: input.to,
    undeliverable: input.undeliverable,
  });
  if (!allowed) return null;
  const locale = localeOf(input.language) ?? localeOf(input.mailbox.language) ?? 'en';
  const text = acknowledgementText(
    input.mailbox,
    { caseNumber: input.caseNumber, subject: input.subject, customerName: input.customerName },
    locale,
  );
  const queued = await queueOutboundMail(tx, {
    workspaceId: input.workspaceId,
    kind: 'acknowledgement',
    caseId: input.caseId,
    mailboxId: input.mailbox.id,
    from: formatMailbox(input.mailbox.name, input.mailbox.address),
    to: [input.to],
    replyTo: replyAddressFor(input.secret, input.caseId, input.mailbox.address),
    subject: text.subject,
    inReplyTo: input.inReplyTo,
    references: [...input.references.slice(-19), input.inReplyTo],
    bodyText: text.body,
    autoSubmitted: 'auto-replied',
  });
  if (!queued) return null;
  await recordAcknowledgementSent(tx, input.workspaceId, input.to);
  return queued.id;
}
