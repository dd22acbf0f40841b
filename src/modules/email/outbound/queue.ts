import type { Db } from '../../../db/database.js';
import { enqueueJob } from '../../../platform/jobs.js';
import { unprocessable } from '../../../platform/errors.js';
import { recordMessageIds } from '../message-ids-store.js';
import type { OutboundMailKind } from '../schema.js';
import { addressOf, bareMessageId, cleanAddressList, newMessageId } from './addresses.js';
import { textToHtml } from './html.js';
import { insertOutboundMail, type AutoSubmitted, type NewOutboundMail } from './store.js';

/** The durable send queue: one outbound_mail row and one 'email.send' job per mail, in the caller's transaction. */

export const SEND_QUEUE = 'email.send';
/** Tries against the relay before a mail is given up as failed (temporary failures back off exponentially). */
export const MAX_SEND_ATTEMPTS = 8;
const MAX_REFERENCES = 20;

export interface OutboundMailInput {
  workspaceId: string;
  kind: OutboundMailKind;
  caseId?: string | null | undefined;
  /**
   * The case message this mail carries (an agent's reply). Unique: a second mail for the same
   * message is not queued (null is returned), which makes replayed events send once. Leave it
   * unset for mail that merely refers to a message (acknowledgements, notifications).
   */
  messageId?: string | null | undefined;
  mailboxId?: string | null | undefined;
  recipientAgentId?: string | null | undefined;
  /** `Name <address>` or a bare address; its domain names the Message-ID. */
  from: string;
  to: string[];
  cc?: string[] | undefined;
  replyTo?: string | null | undefined;
  subject: string;
  /** Message-IDs with or without angle brackets; stored without. */
  inReplyTo?: string | null | undefined;
  references?: string[] | undefined;
  bodyText: string;
  /** Default: made from bodyText (escaped, paragraphs, links). */
  bodyHtml?: string | null | undefined;
  attachmentIds?: string[] | undefined;
  autoSubmitted?: AutoSubmitted | null | undefined;
}

export interface QueuedMail {
  id: string;
  /** The new mail's Message-ID, without angle brackets (as email_message_ids stores it). */
  messageIdHeader: string;
}

const cleanHeaderText = (value: string, max: number) =>
  value
    .replace(/[\r\n\t]+/g, ' ')
    .replaceAll('\u0000', '')
    .trim()
    .slice(0, max);
const cleanBody = (value: string) => value.replaceAll('\u0000', '');

function referencesOf(input: OutboundMailInput, inReplyTo: string | null): string | null {
  const ids: string[] = [];
  for (const raw of [...(input.references ?? []), ...(inReplyTo ? [inReplyTo] : [])]) {
    const id = bareMessageId(raw);
    if (!id) continue;
    const at = ids.indexOf(id);
    if (at >= 0) ids.splice(at, 1);
    ids.push(id);
  }
  // The newest ids matter for threading; the oldest is the thread's root, kept first (RFC 5322 3.6.4).
  const bounded = ids.length > MAX_REFERENCES ? [ids[0]!, ...ids.slice(-(MAX_REFERENCES - 1))] : ids;
  return bounded.length > 0 ? bounded.join(' ') : null;
}

function rowOf(input: OutboundMailInput, status: 'queued' | 'suppressed', lastError: string | null): NewOutboundMail {
  const inReplyTo = bareMessageId(input.inReplyTo);
  const bodyText = cleanBody(input.bodyText);
  return {
    workspace_id: input.workspaceId,
    kind: input.kind,
    case_id: input.caseId ?? null,
    message_id: input.messageId ?? null,
    mailbox_id: input.mailboxId ?? null,
    recipient_agent_id: input.recipientAgentId ?? null,
    from_address: cleanHeaderText(input.from, 512),
    to_addresses: cleanAddressList(input.to),
    cc_addresses: cleanAddressList(
      input.cc ?? [],
      input.to.map((a) => addressOf(a) ?? a),
    ),
    reply_to: input.replyTo ? cleanHeaderText(input.replyTo, 512) : null,
    subject: cleanHeaderText(input.subject, 998),
    message_id_header: newMessageId(input.from),
    in_reply_to: inReplyTo,
    references_header: referencesOf(input, inReplyTo),
    body_text: bodyText,
    body_html: input.bodyHtml != null ? cleanBody(input.bodyHtml) : textToHtml(bodyText),
    attachment_ids: [...new Set(input.attachmentIds ?? [])],
    auto_submitted: input.autoSubmitted ?? null,
    status,
    last_error: lastError,
  };
}

/**
 * Queues one outgoing mail inside the caller's transaction: the outbound_mail row (with a new
 * Message-ID), the Message-ID recorded for the case (threading step 2: the customer's answer to
 * it finds the case), and the send job. Null when a mail for the same case message exists.
 * Throws `email.invalid_sender` / `email.no_recipient` when there is nothing to send.
 */
export async function queueOutboundMail(tx: Db, input: OutboundMailInput): Promise<QueuedMail | null> {
  const row = rowOf(input, 'queued', null);
  if (!addressOf(row.from_address)) throw unprocessable('email.invalid_sender', 'The From address of the mail is not an address');
  if (row.to_addresses.length === 0) throw unprocessable('email.no_recipient', 'The mail has no valid recipient');
  const inserted = await insertOutboundMail(tx, row);
  if (!inserted) return null;
  // Notifications go to agents: their answers must not thread into the customer's case.
  if (row.case_id && row.kind !== 'notification') {
    await recordMessageIds(tx, {
      workspaceId: row.workspace_id,
      caseId: row.case_id,
      messageIds: [row.message_id_header],
      direction: 'outbound',
    });
  }
  // One attempt more than the mail's own limit, so the send job (not the queue) decides when to give up.
  await enqueueJob(tx, SEND_QUEUE, { outbound_mail_id: inserted.id }, { maxAttempts: MAX_SEND_ATTEMPTS + 1 });
  return { id: inserted.id, messageIdHeader: row.message_id_header };
}

/**
 * Records a mail that will not be sent (no deliverable address, no mailbox), so the sent-mail
 * viewer explains why the customer got nothing. Same uniqueness as queueOutboundMail.
 */
export async function recordSuppressedMail(tx: Db, input: OutboundMailInput, reason: string): Promise<{ id: string } | null> {
  return (await insertOutboundMail(tx, rowOf(input, 'suppressed', reason.slice(0, 2000)))) ?? null;
}
