import crypto from 'node:crypto';
import addressparser from 'nodemailer/lib/addressparser';

/** Address and Message-ID helpers of outgoing mail. Message-IDs are kept without angle brackets, like everywhere in the email module. */

/** The bare address of a mailbox string (`Support <help@example.com>` -> `help@example.com`), or null. */
export function addressOf(mailbox: string): string | null {
  const first = addressparser(mailbox, { flatten: true })[0];
  const address = first?.address?.trim();
  return address && /^[^\s@]+@[^\s@]+$/.test(address) ? address : null;
}

/** `"Name" <address>` with the name quoted (commas, quotes and line breaks cannot break the header), or the bare address. */
export function formatMailbox(name: string | null | undefined, address: string): string {
  const clean = (name ?? '')
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!clean) return address;
  return `"${clean.replace(/[\\"]/g, (c) => `\\${c}`)}" <${address}>`;
}

function domainOf(address: string): string {
  const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
  return /^[a-z0-9.-]+$/.test(domain) && domain.length > 0 ? domain : 'baton.invalid';
}

/** A new Message-ID `uuid@<domain of the From address>`, without angle brackets. */
export function newMessageId(from: string): string {
  return `${crypto.randomUUID()}@${domainOf(addressOf(from) ?? '')}`;
}

/**
 * A Message-ID as stored: angle brackets and whitespace removed, null when nothing usable is
 * left (or it is longer than a header line may be).
 */
export function bareMessageId(id: string | null | undefined): string | null {
  if (typeof id !== 'string') return null;
  const bare = id.trim().replace(/^<+/, '').replace(/>+$/, '').trim();
  if (bare.length === 0 || bare.length > 900 || /[\s<>\p{Cc}]/u.test(bare)) return null;
  return bare;
}

/**
 * Recipients without duplicates (compared by bare address, case-insensitively), dropping those in
 * `exclude` and anything that is no address. Display names are kept; line breaks are removed.
 */
export function cleanAddressList(addresses: readonly string[], exclude: Iterable<string> = []): string[] {
  const seen = new Set([...exclude].map((a) => a.toLowerCase()));
  const result: string[] = [];
  for (const raw of addresses) {
    const value = raw.replace(/[\r\n]+/g, ' ').trim();
    const address = addressOf(value)?.toLowerCase();
    if (!address || seen.has(address)) continue;
    seen.add(address);
    result.push(value);
  }
  return result;
}
