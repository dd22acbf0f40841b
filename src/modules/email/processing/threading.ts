import type { Db } from '../../../db/database.js';
import type { SystemActor } from '../../../platform/actor.js';
import { AppError } from '../../../platform/errors.js';
import { getCase, type CaseView } from '../../cases/service.js';
import type { ParsedMail } from '../parse/parsed-mail.js';
import { baseAddress, caseIdFromReplyAddress } from '../reply-address.js';
import type { MailboxRow } from './inbound-store.js';
import { isCaseParticipant, type KnownMessageId } from './processing-store.js';

/**
 * Which case a received message belongs to, in the order CONVENTIONS.md sets:
 * (1) a recipient that is a correctly signed reply address of one of the workspace's mailboxes;
 * (2) one of our Message-IDs in In-Reply-To / References (newest first);
 * (3) a subject token `[#1234]`, only when the sender already takes part in that case (the case's
 *     customer or a recorded participant), and never for a sender who failed authentication.
 * Anything else is a new contact (the caller applies continuity). A merged case leads to the case
 * it was merged into.
 */

export type ThreadedBy = 'reply_address' | 'message_id' | 'subject_token';

export interface ThreadMatch {
  case: CaseView;
  via: ThreadedBy;
}

const SUBJECT_TOKEN = /\[#(\d{1,9})\]/g;
const MAX_MERGE_HOPS = 5;

/** Every address the message was delivered or written to (envelope first), lower-cased, once each. */
export function recipientsOf(mail: ParsedMail, envelopeTo: readonly string[]): string[] {
  const all = [...envelopeTo, ...mail.to.map((a) => a.address), ...mail.cc.map((a) => a.address)];
  return [...new Set(all.map((a) => a.trim().toLowerCase()).filter((a) => a.includes('@')))];
}

/** Step 1: the case id a signed reply address among the recipients points to. */
export function caseIdFromRecipients(secret: string, recipients: readonly string[], mailboxes: readonly MailboxRow[]): string | null {
  const byAddress = new Map(mailboxes.map((m) => [m.address, m]));
  for (const recipient of recipients) {
    if (!recipient.includes('+')) continue;
    const mailbox = byAddress.get(baseAddress(recipient));
    if (!mailbox) continue;
    const caseId = caseIdFromReplyAddress(secret, recipient, mailbox.address);
    if (caseId) return caseId;
  }
  return null;
}

/** Step 2: the case of the newest known id (In-Reply-To first, then References from the end). */
export function caseIdFromMessageIds(mail: ParsedMail, known: ReadonlyMap<string, KnownMessageId>): string | null {
  for (const id of [...mail.inReplyTo, ...[...mail.references].reverse()]) {
    const hit = known.get(id);
    if (hit) return hit.caseId;
  }
  return null;
}

/** The case numbers written as `[#1234]` in a subject, in order. */
export function subjectCaseNumbers(subject: string): number[] {
  return [...subject.matchAll(SUBJECT_TOKEN)].map((m) => Number(m[1])).slice(0, 5);
}

async function caseOrNull(tx: Db, actor: SystemActor, ref: string): Promise<CaseView | null> {
  try {
    return await getCase(tx, actor, ref);
  } catch (error) {
    if (error instanceof AppError && error.kind === 'not_found') return null;
    throw error;
  }
}

/** The case itself, or the case it was merged into (following a few hops); null if gone. */
export async function liveCase(tx: Db, actor: SystemActor, caseId: string): Promise<CaseView | null> {
  let current = await caseOrNull(tx, actor, caseId);
  for (let hop = 0; hop < MAX_MERGE_HOPS && current?.merged_into_id; hop++) {
    const next = await caseOrNull(tx, actor, current.merged_into_id);
    if (!next) break;
    current = next;
  }
  return current;
}

export interface ThreadingInput {
  secret: string;
  actor: SystemActor;
  mail: ParsedMail;
  sender: string;
  /** The sender's customer, if any (looked up only when the subject-token rule needs it). */
  senderCustomerId: () => Promise<string | null>;
  recipients: string[];
  mailboxes: readonly MailboxRow[];
  knownIds: ReadonlyMap<string, KnownMessageId>;
  /** The sender failed SPF/DKIM/DMARC: the subject token is not trusted. */
  unverified: boolean;
}

export async function findThread(tx: Db, input: ThreadingInput): Promise<ThreadMatch | null> {
  const byReplyAddress = caseIdFromRecipients(input.secret, input.recipients, input.mailboxes);
  if (byReplyAddress) {
    const found = await liveCase(tx, input.actor, byReplyAddress);
    if (found) return { case: found, via: 'reply_address' };
  }
  const byMessageId = caseIdFromMessageIds(input.mail, input.knownIds);
  if (byMessageId) {
    const found = await liveCase(tx, input.actor, byMessageId);
    if (found) return { case: found, via: 'message_id' };
  }
  if (input.unverified) return null;
  for (const number of subjectCaseNumbers(input.mail.subject)) {
    const candidate = await caseOrNull(tx, input.actor, `#${number}`);
    if (!candidate) continue;
    const senderCustomerId = await input.senderCustomerId();
    const participates =
      (senderCustomerId !== null && candidate.customer.id === senderCustomerId) ||
      (await isCaseParticipant(tx, input.actor.workspaceId, candidate.id, input.sender));
    if (!participates) continue;
    const found = await liveCase(tx, input.actor, candidate.id);
    if (found) return { case: found, via: 'subject_token' };
  }
  return null;
}
