import type { AppContext } from '../../../context.js';
import type { Db } from '../../../db/database.js';
import { systemActor } from '../../../platform/actor.js';
import { isLocale, t } from '../../../platform/i18n/index.js';
import type { DomainEvent, DomainEventListener } from '../../../platform/outbox.js';
import { getCase, type CaseView } from '../../cases/service.js';
import { getCustomer, type CustomerView } from '../../customers/service.js';
import { listAttachmentsForMessages } from '../../files/service.js';
import { listCaseMessageIds } from '../message-ids-store.js';
import { replyAddressFor } from '../reply-address.js';
import { formatMailbox } from './addresses.js';
import { findCaseMessage, latestInboundEmail, type InboundEmailRef } from './case-reads.js';
import { textToHtml } from './html.js';
import { queueOutboundMail, recordSuppressedMail, type OutboundMailInput } from './queue.js';
import { findReplyMailbox, listReplyParticipants } from './reply-store.js';

/**
 * Emails an agent's public reply to the customer ('case.message_added'). Runs in the outbox
 * relay's transaction: it only reads what the mail needs and queues it (sending is a job).
 * Internal notes never leave; chat, phone and letter cases are answered by their own channels.
 */

/** Case channels whose customer is answered by email. */
const EMAIL_CASE_CHANNELS = new Set(['email', 'web', 'api']);
const MAX_REFERENCES = 20;

interface MessageAddedPayload {
  message_id?: unknown;
  visibility?: unknown;
  author_type?: unknown;
  channel?: unknown;
}

/**
 * `Re: <subject> [#n]`: one Re: however many the subject collected (also the German AW:), and the
 * case token exactly once, at the end.
 */
export function replySubject(subject: string, number: number): string {
  const token = new RegExp(`\\s*\\[#${number}\\]\\s*`, 'g');
  const base = subject
    .replace(token, ' ')
    .replace(/^\s*(?:(?:re|aw|antw|sv|vs)\s*(?:\[\d+\])?\s*:\s*)+/i, '')
    .replace(/\s+/g, ' ')
    .trim();
  return `Re: ${base} [#${number}]`.replace(/^Re:\s+\[/, 'Re: [');
}

/**
 * Where the reply goes: the address the customer last wrote from, when it is still one of their
 * deliverable addresses; else their primary deliverable address; else another deliverable one.
 */
function recipientOf(customer: CustomerView, inbound: InboundEmailRef | null): { address: string } | { problem: string } {
  if (customer.emails.length === 0) return { problem: 'The customer has no email address.' };
  const deliverable = customer.emails.filter((e) => !e.undeliverable);
  if (deliverable.length === 0) return { problem: 'Every email address of the customer is marked undeliverable (mail to it bounced).' };
  const lastFrom = inbound?.from?.toLowerCase();
  const chosen =
    (lastFrom ? deliverable.find((e) => e.value.toLowerCase() === lastFrom) : undefined) ??
    deliverable.find((e) => e.is_primary) ??
    deliverable[0]!;
  return { address: chosen.value };
}

function localeOf(language: string) {
  const primary = language.toLowerCase().split(/[-_]/)[0];
  return isLocale(primary) ? primary : 'en';
}

async function emailReply(ctx: AppContext, event: DomainEvent, tx: Db): Promise<void> {
  const payload = event.payload as MessageAddedPayload;
  if (payload.visibility !== 'public') return;
  if (payload.author_type !== 'agent' && payload.author_type !== 'system') return;
  if (typeof payload.message_id !== 'string' || !EMAIL_CASE_CHANNELS.has(String(payload.channel))) return;

  const actor = systemActor(event.workspaceId, 'email reply');
  const message = await findCaseMessage(tx, actor, payload.message_id);
  // Checked on the row too: whatever the event says, a note is never mailed.
  if (!message || message.visibility !== 'public' || message.author_type === 'customer') return;
  // A message that came in by email (or records one) is never sent back out.
  if (message.metadata.email !== undefined) return;
  const kase: CaseView = await getCase(tx, actor, message.case_id);
  if (!EMAIL_CASE_CHANNELS.has(kase.channel)) return;

  const customer = await getCustomer(tx, actor, kase.customer.id);
  const inbound = await latestInboundEmail(tx, actor, kase.id);
  const mailbox = await findReplyMailbox(tx, event.workspaceId, { mailboxId: inbound?.mailboxId ?? null, category: kase.category });
  const recipient = recipientOf(customer, inbound);
  const attachments = (await listAttachmentsForMessages(tx, actor, [message.id])).get(message.id) ?? [];
  const caseIds = await listCaseMessageIds(tx, event.workspaceId, kase.id, MAX_REFERENCES);
  const inReplyTo = inbound?.messageId ?? caseIds.at(-1) ?? null;
  const participants = await listReplyParticipants(tx, event.workspaceId, kase.id);

  const input: OutboundMailInput = {
    workspaceId: event.workspaceId,
    kind: 'reply',
    caseId: kase.id,
    messageId: message.id,
    mailboxId: mailbox?.id ?? null,
    from: mailbox ? formatMailbox(mailbox.name, mailbox.address) : '',
    to: 'address' in recipient ? [formatMailbox(customer.name, recipient.address)] : [],
    cc: participants.map((p) => formatMailbox(p.name, p.address)),
    replyTo: mailbox ? formatMailbox(mailbox.name, replyAddressFor(ctx.secret, kase.id, mailbox.address)) : null,
    subject: replySubject(kase.subject, kase.number),
    inReplyTo,
    references: caseIds,
    bodyText: message.body_text,
    bodyHtml: textToHtml(message.body_text, { footer: t(localeOf(customer.language), 'email.reply.footer', { number: kase.number }) }),
    attachmentIds: attachments.map((a) => a.id),
    autoSubmitted: null,
  };
  if (!mailbox) {
    await recordSuppressedMail(tx, input, 'The workspace has no active mailbox to send the reply from.');
    return;
  }
  if ('problem' in recipient) {
    await recordSuppressedMail(tx, input, recipient.problem);
    return;
  }
  await queueOutboundMail(tx, input);
}

export function replyListener(ctx: AppContext): DomainEventListener {
  return {
    name: 'email.reply',
    handles: ['case.message_added'],
    handle: (event, tx) => emailReply(ctx, event, tx),
  };
}
