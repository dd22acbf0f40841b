/**
 * The one i18n layer: every user-facing string goes through t(key, vars).
 * Catalogs are flat objects; a value is a string with {placeholders}, or plural forms
 * chosen by Intl.PluralRules on the `count` variable.
 */
import type { AgentRole, CaseCategory, CasePriority, CaseStatus, CorrespondenceFormat, Presence } from './api/types';
import { en, type CatalogEntry } from './locales/en';

export type MessageKey = keyof typeof en;
export type Vars = Record<string, string | number>;

const catalogs: Record<string, Partial<Record<MessageKey, CatalogEntry>>> = { en };
let locale = 'en';

/** The catalog for a language tag: its own, its base language's (de-CH -> de), or none. */
function catalogFor(tag: string): string | undefined {
  if (catalogs[tag]) return tag;
  const base = tag.split('-')[0] ?? '';
  return catalogs[base] ? base : undefined;
}

/** Whether the app has a translation for the language (others see English). */
export function hasCatalog(tag: string): boolean {
  return catalogFor(tag) !== undefined;
}

export function setLocale(next: string): void {
  locale = catalogFor(next) ?? 'en';
  document.documentElement.lang = locale;
}

export function getLocale(): string {
  return locale;
}

export function t(key: MessageKey, vars?: Vars): string {
  const entry: CatalogEntry = catalogs[locale]?.[key] ?? en[key];
  let text: string;
  if (typeof entry === 'string') {
    text = entry;
  } else {
    const form = new Intl.PluralRules(locale).select(Number(vars?.count ?? 0));
    text = (entry as Record<string, string | undefined>)[form] ?? entry.other;
  }
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (match, name: string) => (name in vars ? String(vars[name]) : match));
}

// ---------- labels of enumerations ----------

export const statusLabel = (s: CaseStatus): string => t(`status.${s}`);
export const priorityLabel = (p: CasePriority): string => t(`priority.${p}`);
export const categoryLabel = (c: CaseCategory): string => t(`category.${c}`);
export const roleLabel = (r: AgentRole): string => t(`role.${r}`);
export const presenceLabel = (p: Presence): string => t(`presence.${p}`);
/** Channels of cases, messages ('internal') and customer preferences; unknown ones show as sent. */
export const channelLabel = (c: string): string => (`channel.${c}` in en ? t(`channel.${c}` as MessageKey) : c);
export const formatLabel = (f: CorrespondenceFormat): string => t(`format.${f}`);

/** A label for an enumeration value the catalog may not know yet (new event types, statuses). */
export function humanize(value: string): string {
  const text = value.replace(/[._]+/g, ' ').trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// ---------- numbers and dates ----------

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

const RELATIVE_STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
  ['week', 4.35],
  ['month', 12],
  ['year', Number.POSITIVE_INFINITY],
];

export function formatRelative(iso: string, now: number = Date.now()): string {
  const time = new Date(iso).getTime();
  if (Number.isNaN(time)) return iso;
  let value = (time - now) / 1000;
  if (Math.abs(value) < 45) return t('time.justNow');
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  for (const [unit, size] of RELATIVE_STEPS) {
    if (Math.abs(value) < size) return format.format(Math.round(value), unit);
    value /= size;
  }
  return format.format(Math.round(value), 'year');
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value)} ${units[unit]}`;
}
