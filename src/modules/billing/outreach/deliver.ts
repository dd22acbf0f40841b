import type { AppContext } from '../../../context.js';
import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { t } from '../../../platform/i18n/index.js';
import type { JsonObject } from '../../../platform/schema.js';
import { addMessage } from '../../cases/service.js';
import type { CaseCategory } from '../../cases/schema.js';
import type { CustomerView } from '../../customers/service.js';
import { listMailboxes, type MailboxView } from '../../email/mailboxes/service.js';
import { formatMailbox, queueOutboundMail } from '../../email/outbound/index.js';
import { automaticMailAllowed } from '../../email/processing/automatic-mail.js';
import { replyAddressFor } from '../../email/reply-address.js';

/**
 * Sends an outreach message on a case by the customer's preferred channel. Email is the one
 * channel Baton can write on by itself: the message becomes a public system message on the case
 * and an `outreach` mail (Auto-Submitted: auto-generated, Reply-To the case's signed address, so
 * the customer's answer threads into the case). Anything else leaves an internal note telling
 * the agent why nothing was sent, with the prepared text to use.
 */

/** Preferred channels whose customer Baton reaches by email (chat continues by email when offline). */
const EMAIL_REACHABLE = new Set(['email', 'web', 'chat']);

export interface OutreachMessage {
  caseId: string;
  caseNumber: number;
  caseCategory: CaseCategory;
  customer: CustomerView;
  subject: string;
  body: string;
  /** Kept with the case message (which trigger and record it answers). */
  metadata: JsonObject;
}

export type OutreachOutcome = { sent: true; outboundMailId: string | null } | { sent: false; reason: string };

function deliverableAddress(customer: CustomerView): string | null {
  const deliverable = customer.emails.filter((e) => !e.undeliverable);
  return (deliverable.find((e) => e.is_primary) ?? deliverable[0])?.value ?? null;
}

/** Whether Baton can write to this customer by email at all (the channel of a case it opens). */
export function reachableByEmail(customer: CustomerView): boolean {
  return EMAIL_REACHABLE.has(customer.preferred_channel) && deliverableAddress(customer) !== null;
}

/** An active mailbox of the case's category, else of billing, else the first active one. */
function senderMailbox(mailboxes: MailboxView[], category: CaseCategory): MailboxView | undefined {
  const active = mailboxes.filter((m) => m.active);
  return active.find((m) => m.category === category) ?? active.find((m) => m.category === 'billing') ?? active[0];
}

async function noteNotSent(tx: Db, actor: Actor, message: OutreachMessage, reason: string): Promise<OutreachOutcome> {
  await addMessage(tx, actor, message.caseId, {
    bodyText: t('en', 'billing.outreach.note.not_sent', { reason, subject: message.subject, body: message.body }),
    visibility: 'internal',
    metadata: { ...message.metadata, outreach_sent: false },
  });
  return { sent: false, reason };
}

export async function sendOutreachMessage(ctx: AppContext, tx: Db, actor: Actor, message: OutreachMessage): Promise<OutreachOutcome> {
  const { customer } = message;
  if (!EMAIL_REACHABLE.has(customer.preferred_channel)) {
    return noteNotSent(tx, actor, message, t('en', 'billing.outreach.reason.preferred_channel', { channel: customer.preferred_channel }));
  }
  const address = deliverableAddress(customer);
  if (!address) return noteNotSent(tx, actor, message, t('en', 'billing.outreach.reason.no_email'));
  const mailbox = senderMailbox(await listMailboxes(tx, actor), message.caseCategory);
  if (!mailbox) return noteNotSent(tx, actor, message, t('en', 'billing.outreach.reason.no_mailbox'));
  if (!(await automaticMailAllowed(tx, { workspaceId: actor.workspaceId, caseId: message.caseId, address }))) {
    return noteNotSent(tx, actor, message, t('en', 'billing.outreach.reason.not_allowed', { address }));
  }

  const posted = await addMessage(tx, actor, message.caseId, {
    bodyText: message.body,
    visibility: 'public',
    channel: 'email',
    metadata: { ...message.metadata, outreach_sent: true },
  });
  const token = `[#${message.caseNumber}]`;
  // Keyed to the case message: the reply listener, seeing the same public message, finds the
  // mail queued already and sends nothing more.
  const queued = await queueOutboundMail(tx, {
    workspaceId: actor.workspaceId,
    kind: 'outreach',
    caseId: message.caseId,
    messageId: posted.id,
    mailboxId: mailbox.id,
    from: formatMailbox(mailbox.name, mailbox.address),
    to: [formatMailbox(customer.name, address)],
    replyTo: formatMailbox(mailbox.name, replyAddressFor(ctx.secret, message.caseId, mailbox.address)),
    subject: message.subject.includes(token) ? message.subject : `${message.subject} ${token}`,
    bodyText: message.body,
    autoSubmitted: 'auto-generated',
  });
  return { sent: true, outboundMailId: queued?.id ?? null };
}
