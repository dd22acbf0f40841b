import type { Db } from '../../../db/database.js';
import type { SystemActor } from '../../../platform/actor.js';
import { AppError } from '../../../platform/errors.js';
import { addMessage } from '../../cases/service.js';
import { markEmailUndeliverable } from '../../customers/service.js';
import { addressOf } from '../outbound/addresses.js';
import type { BounceReport, ParsedMail } from '../parse/parsed-mail.js';
import type { InboundOutcome } from './inbound-store.js';
import { outboundRecipients, type KnownMessageId } from './processing-store.js';
import { liveCase } from './threading.js';

/**
 * A delivery status notification about mail Baton sent (CONVENTIONS.md: bounces attach to the
 * case they bounce from, mark the address undeliverable, and never open a case). Only recipients
 * the bounced mail was really sent to are marked, so a forged report cannot switch off mail to
 * arbitrary customers.
 */

const isPermanent = (status: string) => /^5\./.test(status.trim());

function bounceNote(bounce: BounceReport, marked: string[]): string {
  const lines = bounce.recipients.slice(0, 50).map((r) => {
    const detail = [r.status, r.action].filter(Boolean).join(', ');
    const diagnostic = r.diagnostic.replace(/\s+/g, ' ').trim().slice(0, 500);
    return `- ${r.address}${detail ? ` (${detail})` : ''}${diagnostic ? `: ${diagnostic}` : ''}`;
  });
  const parts = [
    bounce.permanent ? 'An email from this case could not be delivered.' : 'An email from this case has not been delivered yet.',
    '',
    ...(lines.length > 0 ? lines : ['- (the report names no recipient)']),
  ];
  if (marked.length > 0) parts.push('', `Marked undeliverable, no automatic mail goes there any more: ${marked.join(', ')}`);
  return parts.join('\n');
}

export async function handleBounce(
  tx: Db,
  actor: SystemActor,
  input: { mail: ParsedMail; bounce: BounceReport; knownIds: ReadonlyMap<string, KnownMessageId>; inboundMailId: string },
): Promise<InboundOutcome> {
  const { mail, bounce, knownIds } = input;
  const candidates = [bounce.originalMessageId, ...mail.inReplyTo, ...[...mail.references].reverse()].filter(
    (id): id is string => typeof id === 'string' && id.length > 0,
  );
  const matched = candidates.find((id) => knownIds.get(id)?.direction === 'outbound') ?? candidates.find((id) => knownIds.has(id));
  if (!matched) {
    return { status: 'ignored', reasonCode: 'mail.bounce_unmatched', reason: 'A delivery failure report about mail Baton did not send' };
  }
  const target = await liveCase(tx, actor, knownIds.get(matched)!.caseId);
  if (!target) return { status: 'ignored', reasonCode: 'mail.bounce_unmatched', reason: 'The case of the bounced mail no longer exists' };

  const sentTo = knownIds.get(matched)!.direction === 'outbound' ? await outboundRecipients(tx, actor.workspaceId, matched) : null;
  const recipientsOfMail = new Set((sentTo ?? []).map((a) => (addressOf(a) ?? a).toLowerCase()));
  const marked: string[] = [];
  for (const recipient of bounce.recipients) {
    const address = recipient.address.trim().toLowerCase();
    if (!isPermanent(recipient.status) || !recipientsOfMail.has(address) || marked.includes(address)) continue;
    try {
      const reason = `Bounce ${recipient.status}: ${recipient.diagnostic}`.slice(0, 1000);
      if (await markEmailUndeliverable(tx, actor, address, reason)) marked.push(address);
    } catch (error) {
      // A malformed address in a report is not worth failing the whole message for.
      if (!(error instanceof AppError && error.kind === 'validation')) throw error;
    }
  }

  if (target.status === 'closed') {
    return {
      status: 'ignored',
      reasonCode: 'mail.bounce_case_closed',
      reason: `Bounce for closed case #${target.number}`,
      caseId: target.id,
    };
  }
  const note = await addMessage(tx, actor, target.id, {
    bodyText: bounceNote(bounce, marked),
    visibility: 'internal',
    authorType: 'system',
    metadata: {
      email: {
        inbound_mail_id: input.inboundMailId,
        bounce: {
          original_message_id: bounce.originalMessageId,
          permanent: bounce.permanent,
          recipients: bounce.recipients.slice(0, 50).map((r) => ({ ...r, diagnostic: r.diagnostic.slice(0, 500) })),
          marked_undeliverable: marked,
        },
      },
    },
  });
  return { status: 'processed', caseId: target.id, messageId: note.id };
}
