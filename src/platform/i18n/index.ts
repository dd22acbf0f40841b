import { de } from './de.js';
import { en, type MessageKey } from './en.js';

/**
 * The one i18n layer for customer-facing text (CONVENTIONS.md: user-facing text goes through one
 * i18n layer). Catalogs are plain objects keyed by message key; English is the reference and the
 * fallback. Adding a language is one catalog file and one line in CATALOGS.
 */
export type { MessageKey } from './en.js';

export const LOCALES = ['en', 'de'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

const CATALOGS: Record<Locale, Record<MessageKey, string>> = { en, de };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export type MessageParams = Record<string, string | number>;

/** The text of `key` in `locale`, with `{name}` placeholders filled from params (unknown ones stay visible). */
export function t(locale: Locale, key: MessageKey, params: MessageParams = {}): string {
  const template = CATALOGS[locale]?.[key] ?? en[key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/**
 * Picks the page language: an explicit `?lang=` wins, then the best Accept-Language entry
 * (by q-value, matching on the primary subtag, so `de-AT` finds German), then English.
 */
export function negotiateLocale(explicit: unknown, acceptLanguage: string | undefined): Locale {
  if (typeof explicit === 'string') {
    const primary = explicit.trim().toLowerCase().split(/[-_]/)[0];
    if (isLocale(primary)) return primary;
  }
  if (!acceptLanguage) return DEFAULT_LOCALE;
  const ranked = acceptLanguage
    .slice(0, 500)
    .split(',')
    .map((entry, index) => {
      const [tag = '', ...params] = entry.trim().split(';');
      const q = params.map((p) => /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/.exec(p)).find(Boolean);
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q[1]) : 1, index };
    })
    .filter((e) => e.tag !== '' && e.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const entry of ranked) {
    const primary = entry.tag.split('-')[0];
    if (isLocale(primary)) return primary;
  }
  return DEFAULT_LOCALE;
}

/** A byte count for people: “512 bytes”, “340 KB”, “2 MB”. */
export function formatBytes(locale: Locale, bytes: number): string {
  const number = (n: number) => new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(n);
  if (bytes < 1024) return t(locale, 'unit.bytes', { n: number(bytes) });
  if (bytes < 1024 * 1024) return t(locale, 'unit.kb', { n: number(Math.round(bytes / 102.4) / 10) });
  return t(locale, 'unit.mb', { n: number(Math.round(bytes / (1024 * 102.4)) / 10) });
}

/** A date and time in the page language; customers' time zones are unknown here, so UTC is shown explicitly. */
export function formatDateTime(locale: Locale, date: Date): string {
  return new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: 'UTC',
    timeZoneName: 'short',
  }).format(date);
}
