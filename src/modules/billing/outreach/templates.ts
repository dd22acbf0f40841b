import { isLocale, t, type Locale } from '../../../platform/i18n/index.js';
import type { OutreachTrigger } from './schema.js';

/**
 * Outreach message templates: an admin's own subject and body, or the built-in ones of the
 * platform i18n catalogs in the customer's language. Placeholders are written {{name}}.
 */

export const OUTREACH_PLACEHOLDERS = ['customer_name', 'case_number', 'amount', 'failure_reason', 'invoice_number', 'due_date'] as const;
export type OutreachPlaceholder = (typeof OUTREACH_PLACEHOLDERS)[number];
export type OutreachValues = Record<OutreachPlaceholder, string | null>;

const PLACEHOLDER = /\{\{\s*([a-z_]+)\s*\}\}/g;

/** Placeholders a template uses that Baton does not know (the settings refuse them). */
export function unknownPlaceholders(template: string): string[] {
  const known = new Set<string>(OUTREACH_PLACEHOLDERS);
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((name) => !known.has(name)))];
}

/** One line, no control characters: safe in a mail header and a case subject. */
export function oneLine(value: string, max: number): string {
  return (
    value
      // eslint-disable-next-line no-control-regex -- stripping control characters is the point
      .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, max)
  );
}

function plainText(value: string): string {
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  return value.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

/** Fills the placeholders; a value Baton does not know reads "not known" in the customer's language. */
export function fillOutreachTemplate(template: string, values: OutreachValues, locale: Locale, singleLine: boolean): string {
  const filled = template.replace(PLACEHOLDER, (whole, name: string) => {
    if (!(OUTREACH_PLACEHOLDERS as readonly string[]).includes(name)) return whole;
    const value = values[name as OutreachPlaceholder];
    return oneLine(value === null || value === '' ? t(locale, 'billing.outreach.value_unknown') : value, 300);
  });
  return singleLine ? oneLine(filled, 300) : plainText(filled);
}

export function defaultTemplate(trigger: OutreachTrigger, locale: Locale): { subject: string; body: string } {
  return trigger === 'payment_failed'
    ? { subject: t(locale, 'billing.outreach.payment_failed.subject'), body: t(locale, 'billing.outreach.payment_failed.body') }
    : { subject: t(locale, 'billing.outreach.dispute_opened.subject'), body: t(locale, 'billing.outreach.dispute_opened.body') };
}

/** The primary subtag of a customer's language when Baton has a catalog for it, else English. */
export function customerLocale(language: string | null | undefined): Locale {
  const primary = (language ?? '').trim().toLowerCase().split(/[-_]/)[0];
  return isLocale(primary) ? primary : 'en';
}

/** A date as the customer reads it (calendar date in UTC: due dates are days, not instants). */
export function formatDueDate(date: Date | null, locale: Locale): string | null {
  if (!date) return null;
  return new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}
