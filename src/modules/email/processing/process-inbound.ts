import type { Db } from '../../../db/database.js';
import { systemActor, type SystemActor } from '../../../platform/actor.js';
import { AppError } from '../../../platform/errors.js';
import type { JsonObject } from '../../../platform/schema.js';
import { addMessage, getCase, receiveCustomerContact, updateCase, type CaseView } from '../../cases/service.js';
import { findCustomerByEmail, findOrCreateCustomerByEmail, type EmailOwner } from '../../customers/service.js';
import { recordUpload } from '../../files/service.js';
import { hasRemoteImages } from '../parse/html.js';
import type { MailAddress, ParsedMail } from '../parse/parsed-mail.js';
import { baseAddress } from '../reply-address.js';
import { acknowledgeNewCase } from './acknowledgement.js';
import { mayAnswerAutomatically } from './automatic-mail.js';
import { handleBounce } from './bounce.js';
import { caseSubject, emailMetadata, MAX_HTML, messageBody } from './email-metadata.js';
import type { InboundFacts, InboundOutcome, MailboxRow, ProcessedRecord } from './inbound-store.js';
import type { PreparedInbound } from './prepare-inbound.js';
import type { KnownMessageId } from './processing-store.js';
import { findThread, recipientsOf } from './threading.js';

/**
 * One received message, inside the transaction that also marks it processed: sender, threading,
 * the case message with its files, participants, Message-IDs and the acknowledgement. Every
 * outcome (processed, ignored, quarantined) is decided here; a throw rolls all of it back.
 */

export const UNVERIFIED_TAG = 'sender-unverified';

export interface ProcessingHooks {
  /** Tests: runs after the case message is written, before the message is marked processed. */
  afterMessageWritten?: ((tx: Db, inboundMailId: string) => Promise<void>) | undefined;
}

export interface ProcessEnvironment {
  secret: string;
  /** The mailbox the message was delivered to, and every mailbox of its workspace. */
  mailbox: MailboxRow;
  mailboxes: readonly MailboxRow[];
  hooks?: ProcessingHooks | undefined;
}

export interface ProcessResult {
  outcome: InboundOutcome;
  facts: InboundFacts;
  /** Set when a case message was written: what the caller records with the status (one statement). */
  record?: ProcessedRecord;
}

/** The ids the claim looks up: the message's own, In-Reply-To, References and a bounced mail's. */
export function idsToLookUp(mail: ParsedMail, inboundMailId: string): string[] {
  return [
    messageIdOf(mail, inboundMailId),
    ...mail.inReplyTo,
    ...mail.references,
    ...(mail.bounce?.originalMessageId ? [mail.bounce.originalMessageId] : []),
  ];
}

/** The Message-ID a message is known by: its own, or one made from the inbound row for mail without. */
export function messageIdOf(mail: ParsedMail, inboundMailId: string): string {
  return mail.messageId ?? `${inboundMailId}@baton.invalid`;
}

function contentLanguage(mail: ParsedMail): string | undefined {
  const value = mail.headers['content-language']?.split(',')[0]?.trim();
  return value && /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(value) ? value : undefined;
}

function senderOf(mail: ParsedMail, envelopeFrom: string | null): MailAddress | null {
  if (mail.from?.address) return mail.from;
  const fallback = mail.returnPath || envelopeFrom;
  return fallback ? { address: fallback.trim().toLowerCase(), name: '' } : null;
}

async function addUnverifiedTag(tx: Db, actor: SystemActor, view: CaseView): Promise<void> {
  if (view.tags.includes(UNVERIFIED_TAG)) return;
  await updateCase(tx, actor, view.id, { version: view.version, tags: [...view.tags, UNVERIFIED_TAG] });
}

/** CC'd people (and other To addresses) take part in the case; our own mailboxes and the customer do not. */
function participantsOf(
  mail: ParsedMail,
  sender: string,
  mailboxes: readonly MailboxRow[],
  customerEmail: string | null,
  threaded: boolean,
): ProcessedRecord['participants'] {
  const ours = new Set(mailboxes.map((m) => m.address));
  const skip = new Set([sender, ...(customerEmail ? [customerEmail.toLowerCase()] : [])]);
  const result = new Map<string, ProcessedRecord['participants'][number]>();
  // Someone other than the customer answering in an existing case (a colleague of theirs) joins it.
  if (threaded && customerEmail !== null && sender !== customerEmail.toLowerCase() && !ours.has(baseAddress(sender))) {
    result.set(sender, { address: sender, name: mail.from?.name ?? '', role: 'from' });
  }
  for (const a of [...mail.to, ...mail.cc]) {
    const address = a.address.toLowerCase();
    if (!address.includes('@') || ours.has(baseAddress(address)) || skip.has(address) || result.has(address)) continue;
    result.set(address, { address, name: a.name, role: 'cc' });
  }
  return [...result.values()].slice(0, 50);
}

export async function processInbound(
  tx: Db,
  env: ProcessEnvironment,
  prepared: PreparedInbound,
  knownIds: ReadonlyMap<string, KnownMessageId>,
): Promise<ProcessResult> {
  const { row, parsed, auth, peek } = prepared;
  const authResults: JsonObject = { ...auth };
  if (!parsed.ok) {
    return {
      outcome: { status: 'quarantined', reasonCode: parsed.quarantine.code, reason: parsed.quarantine.reason },
      facts: { fromAddress: peek.from, subject: peek.subject, messageIdHeader: peek.messageId, authResults: null },
    };
  }
  const mail = parsed.mail;
  const actor = systemActor(row.workspace_id, 'email intake');
  const messageIdHeader = messageIdOf(mail, row.id);
  const sender = senderOf(mail, row.envelope_from);
  const facts: InboundFacts = { fromAddress: sender?.address ?? peek.from, subject: mail.subject, messageIdHeader, authResults };

  if (mail.auto.ownLoop) {
    return { outcome: { status: 'ignored', reasonCode: 'mail.own_loop', reason: 'Mail Baton sent came back (loop header)' }, facts };
  }
  if (mail.bounce) {
    return {
      outcome: await handleBounce(tx, actor, { mail, bounce: mail.bounce, knownIds, inboundMailId: row.id }),
      facts: { ...facts, authResults: null },
    };
  }
  const own = knownIds.get(messageIdHeader);
  if (own?.direction === 'inbound') {
    return {
      outcome: {
        status: 'ignored',
        reasonCode: 'mail.duplicate',
        reason: 'A message with this Message-ID was already received',
        caseId: own.caseId,
      },
      facts,
    };
  }
  if (own?.direction === 'outbound') {
    return { outcome: { status: 'ignored', reasonCode: 'mail.own_loop', reason: 'Mail Baton sent came back (own Message-ID)' }, facts };
  }
  if (!sender) {
    return {
      outcome: { status: 'quarantined', reasonCode: 'mail.no_sender', reason: 'The message names no sender (From, Return-Path)' },
      facts,
    };
  }

  // The sender's customer: needed for the subject-token rule and for a new contact, not for a reply.
  let ownerLookup: Promise<EmailOwner | null> | undefined;
  const senderCustomer = () => (ownerLookup ??= findCustomerByEmail(tx, actor, sender.address));
  const unverified = auth.verdict === 'fail';
  let thread: Awaited<ReturnType<typeof findThread>>;
  try {
    thread = await findThread(tx, {
      secret: env.secret,
      actor,
      mail,
      sender: sender.address,
      senderCustomerId: async () => (await senderCustomer())?.customerId ?? null,
      recipients: recipientsOf(mail, row.envelope_to),
      mailboxes: env.mailboxes,
      knownIds,
      unverified,
    });
    // Before any write: an unusable sender address is a quarantine, not a failure.
    if (!thread || thread.case.status === 'closed') await senderCustomer();
  } catch (error) {
    if (error instanceof AppError && error.code === 'customer.invalid_email') {
      return {
        outcome: {
          status: 'quarantined',
          reasonCode: 'mail.invalid_sender',
          reason: `The sender address is not usable: ${sender.address}`,
        },
        facts,
      };
    }
    throw error;
  }

  const attachmentIds: string[] = [];
  const cidMap: Record<string, string> = {};
  for (const attachment of prepared.attachments) {
    const stored = await recordUpload(tx, row.workspace_id, attachment.upload);
    attachmentIds.push(stored.id);
    if (attachment.contentId) cidMap[attachment.contentId] = stored.id;
  }
  const body = messageBody(mail, attachmentIds.length);
  const followUpOf = thread && thread.case.status === 'closed' ? thread.case.number : null;
  const metadata = emailMetadata({
    mailboxId: env.mailbox.id,
    inboundMailId: row.id,
    messageIdHeader,
    mail,
    sender,
    auth,
    remoteImages: mail.html !== null && hasRemoteImages(mail.html),
    cidMap,
    truncated: body.truncated,
    threadedBy: followUpOf === null ? (thread?.via ?? null) : null,
    followUpOf,
  });

  let caseId: string;
  let messageId: string;
  let customerEmail: string | null;
  let opened: { number: number; subject: string; customerName: string; language: string | null; undeliverable: boolean } | null = null;
  if (thread && followUpOf === null) {
    if (unverified) await addUnverifiedTag(tx, actor, thread.case);
    const message = await addMessage(tx, actor, thread.case.id, {
      bodyText: body.text,
      visibility: 'public',
      channel: 'email',
      metadata,
      attachmentIds,
      authorType: 'customer',
    });
    caseId = thread.case.id;
    messageId = message.id;
    customerEmail = thread.case.customer.primary_email;
  } else {
    const language = contentLanguage(mail);
    let customer: { customerId: string; name: string; undeliverable: boolean };
    const owner = await senderCustomer();
    if (owner) {
      customer = owner;
    } else {
      const created = await findOrCreateCustomerByEmail(tx, actor, { email: sender.address, name: sender.name || undefined, language });
      customer = { customerId: created.customerId, name: sender.name, undeliverable: false };
    }
    const subject = caseSubject(mail);
    const contact = await receiveCustomerContact(tx, actor, {
      customerId: customer.customerId,
      subject,
      category: env.mailbox.category,
      channel: 'email',
      bodyText: body.text,
      attachmentIds,
      metadata,
      teamId: env.mailbox.team_id,
      tags: unverified ? [UNVERIFIED_TAG] : undefined,
    });
    caseId = contact.caseId;
    messageId = contact.messageId;
    customerEmail = sender.address;
    if (contact.joined && unverified) await addUnverifiedTag(tx, actor, await getCase(tx, actor, contact.caseId));
    if (!contact.joined) {
      opened = {
        number: contact.number,
        subject,
        customerName: customer.name || sender.name,
        // A new customer's profile language is only a default: the mailbox's language is the better guess.
        language: language ?? (owner ? owner.language : null),
        undeliverable: customer.undeliverable,
      };
    }
  }

  const html = mail.html;
  const record: ProcessedRecord = {
    workspaceId: row.workspace_id,
    caseId,
    messageId,
    messageIdHeader,
    html: html === null ? null : html.slice(0, MAX_HTML),
    htmlTruncated: html !== null && html.length > MAX_HTML,
    headers: mail.headers,
    participants: participantsOf(mail, sender.address, env.mailboxes, customerEmail, thread !== null && followUpOf === null),
  };
  await env.hooks?.afterMessageWritten?.(tx, row.id);

  if (opened && env.mailbox.acknowledge && mayAnswerAutomatically({ auto: mail.auto, verdict: auth.verdict })) {
    await acknowledgeNewCase(tx, {
      secret: env.secret,
      workspaceId: row.workspace_id,
      mailbox: env.mailbox,
      caseId,
      caseNumber: opened.number,
      subject: opened.subject,
      customerName: opened.customerName,
      language: opened.language,
      to: sender.address,
      undeliverable: opened.undeliverable,
      inReplyTo: messageIdHeader,
      references: mail.references,
    });
  }
  return { outcome: { status: 'processed', caseId, messageId }, facts, record };
}
