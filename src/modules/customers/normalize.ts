import { decodeCursor } from '../../http/pagination.js';
import { validationError } from '../../platform/errors.js';
import type { IdentityKind, PostalAddress } from './schema.js';

/**
 * Normalization and validation of customer profile values, free of HTTP and SQL. Each function
 * takes the field name it reports in a 400, so a form can show the problem next to the input.
 */

function invalid(code: string, field: string, problem: string): never {
  throw validationError(code, `${field} ${problem}`, { field, fields: [{ field, problem }] });
}

// The WHATWG "valid e-mail address" grammar (what browsers accept in <input type=email>), on lower-cased input.
const EMAIL = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

export function normalizeEmail(raw: string, field = 'email'): string {
  const email = raw.trim().toLowerCase();
  if (email.length > 254) invalid('customer.invalid_email', field, 'must be at most 254 characters');
  const at = email.lastIndexOf('@');
  if (!EMAIL.test(email) || at > 64) invalid('customer.invalid_email', field, 'is not a valid email address');
  return email;
}

// Separators people type inside phone numbers; anything else (letters, extensions) is refused.
const PHONE_CHARS = /^\+?[0-9 ().\-/]+$/;

export function normalizePhone(raw: string, field = 'phone'): string {
  const trimmed = raw.trim();
  if (!PHONE_CHARS.test(trimmed)) invalid('customer.invalid_phone', field, 'may contain only digits, spaces, ( ) . - / and a leading +');
  const digits = trimmed.replace(/\D/g, '');
  if (digits.length < 6 || digits.length > 20) invalid('customer.invalid_phone', field, 'must have 6 to 20 digits');
  return (trimmed.startsWith('+') ? '+' : '') + digits;
}

export function normalizeIdentity(kind: IdentityKind, raw: string, field = 'value'): string {
  return kind === 'email' ? normalizeEmail(raw, field) : normalizePhone(raw, field);
}

export const MAX_TAGS = 50;
export const MAX_TAG_LENGTH = 50;

/** Trimmed, lower-cased, de-duplicated (first occurrence wins the position). */
export function normalizeTags(raw: readonly string[], field = 'tags'): string[] {
  const tags: string[] = [];
  raw.forEach((value, i) => {
    const tag = value.trim().toLowerCase();
    if (tag.length < 1 || tag.length > MAX_TAG_LENGTH)
      invalid('customer.invalid_tag', `${field}.${i}`, `must be 1 to ${MAX_TAG_LENGTH} characters after trimming`);
    if (!tags.includes(tag)) tags.push(tag);
  });
  if (tags.length > MAX_TAGS) invalid('customer.too_many_tags', field, `may hold at most ${MAX_TAGS} tags`);
  return tags;
}

export const TIER_PATTERN = /^[a-z0-9][a-z0-9_-]{0,39}$/;

/** A service tier: trimmed and lower-cased, then a slug (`gold`, `enterprise-plus`) of 1-40 characters. */
export function normalizeTier(raw: string, field = 'tier'): string {
  const tier = raw.trim().toLowerCase();
  if (!TIER_PATTERN.test(tier))
    invalid('customer.invalid_tier', field, 'must be 1 to 40 lower-case letters, digits, - or _, starting with a letter or digit');
  return tier;
}

/** A BCP 47 language tag, returned in canonical case (`en-us` -> `en-US`). */
export function normalizeLanguage(raw: string, field = 'language'): string {
  let canonical: string | undefined;
  try {
    canonical = Intl.getCanonicalLocales(raw.trim())[0];
  } catch {
    canonical = undefined;
  }
  if (!canonical || canonical.length < 2 || canonical.length > 35)
    invalid('customer.invalid_language', field, 'is not a valid BCP 47 language tag');
  return canonical;
}

/** An IANA time zone, returned in its canonical spelling (`europe/berlin` -> `Europe/Berlin`). */
export function normalizeTimeZone(raw: string, field = 'time_zone'): string {
  let zone: string | undefined;
  try {
    zone = new Intl.DateTimeFormat('en', { timeZone: raw.trim() }).resolvedOptions().timeZone;
  } catch {
    zone = undefined;
  }
  if (!zone || zone.length > 64) invalid('customer.invalid_time_zone', field, 'is not a known IANA time zone');
  return zone;
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
// Two-letter region codes ICU knows that are not ISO 3166-1 countries (XK, Kosovo, stays: it is in common use).
const NOT_COUNTRIES = new Set(['AC', 'CP', 'DG', 'EA', 'EU', 'EZ', 'IC', 'QO', 'TA', 'UN', 'XA', 'XB', 'ZZ']);

export function normalizeCountry(raw: string, field = 'country'): string {
  const code = raw.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(code) || NOT_COUNTRIES.has(code) || regionNames.of(code) === undefined) {
    invalid('customer.invalid_country', field, 'is not an ISO 3166-1 alpha-2 country code');
  }
  return code;
}

export interface PostalAddressInput {
  line1: string;
  line2?: string | undefined;
  city: string;
  region?: string | undefined;
  postal_code: string;
  country: string;
}

export function normalizePostalAddress(raw: PostalAddressInput, field = 'postal_address'): PostalAddress {
  const required = (value: string, name: string) => {
    const v = value.trim();
    if (v === '') invalid('customer.invalid_postal_address', `${field}.${name}`, 'must not be empty');
    return v;
  };
  const address: PostalAddress = {
    line1: required(raw.line1, 'line1'),
    city: required(raw.city, 'city'),
    postal_code: required(raw.postal_code, 'postal_code'),
    country: normalizeCountry(raw.country, `${field}.country`),
  };
  const line2 = raw.line2?.trim();
  if (line2) address.line2 = line2;
  const region = raw.region?.trim();
  if (region) address.region = region;
  return address;
}

/** Escapes LIKE wildcards so user input matches literally. */
export function likePrefix(value: string): string {
  return `${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string) => UUID.test(value);

/**
 * Decodes a (timestamp text, uuid) keyset cursor. Its contents come from the client, so both parts
 * are checked here: a malformed value must be a 400, not a database cast error.
 */
export function decodeTimeCursor(raw: string | undefined): { at: string; id: string } | undefined {
  const values = decodeCursor(raw, ['string', 'string']);
  if (!values) return undefined;
  const [at, id] = values as [string, string];
  if (!isUuid(id) || !isTimestampText(at)) {
    throw validationError('pagination.invalid_cursor', 'The cursor is not valid for this list; start again without it', {
      field: 'cursor',
    });
  }
  return { at, id };
}

/** PostgreSQL's ISO text of a timestamptz (`2024-05-01 12:30:00.123456+00`), with a real calendar day. */
function isTimestampText(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2}) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?[+-](0\d|1[0-4])(:[0-5]\d)?$/.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return year >= 1 && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
