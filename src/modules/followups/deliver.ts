import type { AppContext } from '../../context.js';
import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { t } from '../../platform/i18n/index.js';
import type { JsonObject } from '../../platform/schema.js';
import { addMessage, type CaseView } from '../cases/service.js';
import { getCustomer, type CustomerView } from '../customers/service.js';
import { listMailboxes, type MailboxView } from '../email/mailboxes/service.js';
import { formatMailbox, queueOutboundMail, replySubject } from '../email/outbound/index.js';
import { automaticMailAllowed } from '../email/processing/automatic-mail.js';
import { replyAddressFor } from '../email/reply-address.js';

/**
 * Sends a follow-up message (pending reminder, check-in) to the case's customer, the way
 * billing outreach does (billing/outreach/deliver.ts): on an email case a public system message
 * plus an automatic mail keyed to it (Auto-Submitted: auto-generated, Reply-To the case's signed
 * address, subject with the case token), so the reply listener sends nothing more and the
 * customer's answer threads into the case; on a chat case a public message the widget shows.
 * Anything else, or mail the loop rules forbid, leaves an internal note with the prepared text.
 * A closed case takes no more messages: it gets the mail alone (an answer opens a follow-up case).
 */

const EMAIL_CASE_CHANNELS = new Set(['email', 'web', 'api']);

export type DeliveryOutcome = { sent: true; channel: 'email' | 'chat'; messageId: string | null } | { sent: false; reason: string };

function deliverableAddress(customer: CustomerView): string | null {
  const deliverable = customer.emails.filter((e) => !e.undeliverable);
  return (deliverable.find((e) => e.is_primary) ?? deliverable[0])?.value ?? null;
}

function senderMailbox(mailboxes: MailboxView[], kase: CaseView): MailboxView | undefined {
  const active = mailboxes.filter((m) => m.active);
  return active.find((m) => m.category === kase.category) ?? active[0];
}

async function notSent(tx: Db, actor: Actor, kase: CaseView, body: string, reason: string, metadata: JsonObject): Promise<DeliveryOutcome> {
  if (kase.status !== 'closed') {
    await addMessage(tx, actor, kase.id, {
      bodyText: t('en', 'followups.note.not_sent', { reason, body }),
      visibility: 'internal',
      metadata: { ...metadata, followup_sent: false },
    });
  }
  return { sent: false, reason };
}

export async function deliverFollowup(
  ctx: AppContext,
  tx: Db,
  actor: Actor,
  kase: CaseView,
  body: string,
  metadata: JsonObject,
): Promise<DeliveryOutcome> {
  if (kase.channel === 'chat' && kase.status !== 'closed') {
    const posted = await addMessage(tx, actor, kase.id, {
      bodyText: body,
      visibility: 'public',
      channel: 'chat',
      metadata: { ...metadata, followup_sent: true },
    });
    return { sent: true, channel: 'chat', messageId: posted.id };
  }
  if (!EMAIL_CASE_CHANNELS.has(kase.channel) && kase.channel !== 'chat') {
    return notSent(tx, actor, kase, body, t('en', 'followups.reason.channel', { channel: kase.channel }), metadata);
  }
  const customer = await getCustomer(tx, actor, kase.customer.id);
  const address = deliverableAddress(customer);
  if (!address) return notSent(tx, actor, kase, body, t('en', 'followups.reason.no_email'), metadata);
  const mailbox = senderMailbox(await listMailboxes(tx, actor), kase);
  if (!mailbox) return notSent(tx, actor, kase, body, t('en', 'followups.reason.no_mailbox'), metadata);
  if (!(await automaticMailAllowed(tx, { workspaceId: actor.workspaceId, caseId: kase.id, address }))) {
    return notSent(tx, actor, kase, body, t('en', 'followups.reason.not_allowed', { address }), metadata);
  }
  const posted =
    kase.status === 'closed'
      ? null
      : await addMessage(tx, actor, kase.id, {
          bodyText: body,
          visibility: 'public',
          channel: kase.channel === 'chat' ? 'email' : kase.channel,
          metadata: { ...metadata, followup_sent: true },
        });
  await queueOutboundMail(tx, {
    workspaceId: actor.workspaceId,
    kind: 'outreach',
    caseId: kase.id,
    messageId: posted?.id ?? null,
    mailboxId: mailbox.id,
    from: formatMailbox(mailbox.name, mailbox.address),
    to: [formatMailbox(customer.name, address)],
    replyTo: formatMailbox(mailbox.name, replyAddressFor(ctx.secret, kase.id, mailbox.address)),
    subject: replySubject(kase.subject, kase.number),
    bodyText: body,
    autoSubmitted: 'auto-generated',
  });
  return { sent: true, channel: 'email', messageId: posted?.id ?? null };
}
