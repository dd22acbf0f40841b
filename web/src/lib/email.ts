/**
 * Reading the email parts of API answers for display. Everything here returns plain text that
 * React escapes; nothing becomes HTML.
 */
import type { EmailAddress, EmailAuth, Message, MessageEmailMeta } from '../api/types';

type AddressLike = EmailAddress | string | null | undefined;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `Name <address>`, or the address alone when the sender gave no name. */
export function formatAddress(value: AddressLike): string {
  if (!value) return '';
  if (typeof value === 'string') return value;
  const name = typeof value.name === 'string' ? value.name.trim() : '';
  const address = typeof value.address === 'string' ? value.address : '';
  if (name && address && name.toLowerCase() !== address.toLowerCase()) return `${name} <${address}>`;
  return address || name;
}

export function formatAddressList(value: AddressLike | AddressLike[] | null | undefined): string {
  const list = Array.isArray(value) ? value : [value];
  return list.map(formatAddress).filter(Boolean).join(', ');
}

/** The bare address of an entry, lower-cased, to compare Reply-To with From. */
export function addressOf(value: AddressLike): string {
  if (!value) return '';
  return (typeof value === 'string' ? value.replace(/^.*<([^>]*)>.*$/, '$1') : value.address).trim().toLowerCase();
}

/** `metadata.email` of a case message, when the message came (or went) by email. */
export function emailMetaOf(message: Pick<Message, 'metadata'>): MessageEmailMeta | null {
  const email = message.metadata?.email;
  return isRecord(email) ? (email as MessageEmailMeta) : null;
}

/** One SPF, DKIM or DMARC result as a word: results come as strings or as objects with a result. */
export function authResultText(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const parts = value.map(authResultText).filter((x): x is string => Boolean(x));
    return parts.length > 0 ? parts.join(', ') : null;
  }
  if (isRecord(value)) {
    for (const key of ['result', 'status', 'verdict', 'action']) {
      const inner = value[key];
      if (typeof inner === 'string' && inner) return inner;
      if (isRecord(inner) && typeof inner.result === 'string') return inner.result;
    }
  }
  return null;
}

/** The per-mechanism results worth showing in the details (empty ones left out), with their domains. */
export function authDetails(auth: EmailAuth | null | undefined): { name: 'SPF' | 'DKIM' | 'DMARC'; result: string; domain: string }[] {
  if (!auth) return [];
  const rows: { name: 'SPF' | 'DKIM' | 'DMARC'; result: string; domain: string }[] = [];
  const domains = (value: unknown) =>
    (Array.isArray(value) ? value : [value]).filter((d): d is string => typeof d === 'string' && d !== '').join(', ');
  for (const [name, value, domain] of [
    ['SPF', auth.spf, domains(auth.spf_domain)],
    ['DKIM', auth.dkim, domains(auth.dkim_domains)],
    ['DMARC', auth.dmarc, domains(auth.dmarc_domain)],
  ] as const) {
    const result = authResultText(value);
    if (result) rows.push({ name, result, domain });
  }
  return rows;
}

/** Whether the message was sent automatically (the flag, or any of the signals the server recorded). */
export function isAutomatic(auto: MessageEmailMeta['auto']): boolean {
  if (!auto) return false;
  if (typeof auto === 'boolean') return auto;
  return Object.values(auto).some((signal) => signal === true);
}

/**
 * Whether a piece of HTML refers to remote images. Only decides if the "remote images are blocked"
 * notice is worth showing; blocking itself is the frame's Content-Security-Policy.
 */
export function mentionsRemoteImages(html: string): boolean {
  return /<img\b[^>]*\bsrc\s*=\s*["']?\s*(https?:)?\/\//i.test(html) || /url\(\s*["']?\s*(https?:)?\/\//i.test(html);
}

/** Entries of a loosely shaped object (authentication results) as text pairs, two levels deep. */
export function flattenResults(value: unknown, prefix = '', depth = 0): { key: string; value: string }[] {
  if (!isRecord(value)) return [];
  const rows: { key: string; value: string }[] = [];
  for (const [key, inner] of Object.entries(value)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (inner === null || inner === undefined) continue;
    if (typeof inner === 'string' || typeof inner === 'number' || typeof inner === 'boolean') {
      rows.push({ key: name, value: String(inner) });
    } else if (isRecord(inner) && depth < 1) {
      rows.push(...flattenResults(inner, name, depth + 1));
    } else {
      rows.push({ key: name, value: JSON.stringify(inner) });
    }
  }
  return rows;
}
