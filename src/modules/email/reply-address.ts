import crypto from 'node:crypto';
import { safeEqual } from '../../platform/tokens.js';

/**
 * Threading step 1 (CONVENTIONS.md): a signed reply address per case and mailbox,
 * `<local>+c<case id, 32 hex>.<hmac, 16 hex>@<domain>`. Lower-case hex only, because mail
 * systems may change the case of the local part. The HMAC binds the case to the mailbox, so an
 * address copied to another mailbox (or a guessed case id) does not thread.
 */
const TAG = /^c([0-9a-f]{32})\.([0-9a-f]{16})$/;

function signature(secret: string, caseId: string, mailboxAddress: string): string {
  return crypto.createHmac('sha256', secret).update(`reply-address:${caseId}:${mailboxAddress.toLowerCase()}`).digest('hex').slice(0, 16);
}

function splitAddress(address: string): { local: string; domain: string } {
  const at = address.lastIndexOf('@');
  return { local: address.slice(0, at), domain: address.slice(at + 1) };
}

export function replyAddressFor(secret: string, caseId: string, mailboxAddress: string): string {
  const { local, domain } = splitAddress(mailboxAddress.toLowerCase());
  const compact = caseId.replace(/-/g, '').toLowerCase();
  return `${local}+c${compact}.${signature(secret, caseId.toLowerCase(), mailboxAddress)}@${domain}`;
}

/**
 * The case id a recipient address points to, when it is a correctly signed reply address of that
 * mailbox (constant-time compare); null otherwise. `mailboxAddress` is the plain mailbox address.
 */
export function caseIdFromReplyAddress(secret: string, recipient: string, mailboxAddress: string): string | null {
  const { local, domain } = splitAddress(recipient.toLowerCase());
  const mailbox = splitAddress(mailboxAddress.toLowerCase());
  if (domain !== mailbox.domain) return null;
  const plus = local.indexOf('+');
  if (plus < 0 || local.slice(0, plus) !== mailbox.local) return null;
  const match = TAG.exec(local.slice(plus + 1));
  if (!match) return null;
  const hex = match[1]!;
  const caseId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return safeEqual(signature(secret, caseId, mailboxAddress), match[2]!) ? caseId : null;
}

/** The mailbox address a (possibly plus-addressed, RFC 5233) recipient belongs to. */
export function baseAddress(recipient: string): string {
  const { local, domain } = splitAddress(recipient.toLowerCase().trim());
  const plus = local.indexOf('+');
  return `${plus < 0 ? local : local.slice(0, plus)}@${domain}`;
}
