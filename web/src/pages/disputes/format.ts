import type { DisputeReason, DisputeStatus, EvidenceKind } from '../../api/disputes';
import { getLocale, humanize, t, type MessageKey } from '../../i18n';
import { en } from '../../locales/en';

/** A catalog label for an enumeration value; values a newer server adds show humanized. */
function label(prefix: string, value: string): string {
  const key = `${prefix}.${value}`;
  return key in en ? t(key as MessageKey) : humanize(value);
}

export const reasonLabel = (r: DisputeReason): string => label('disputeReason', r);
export const disputeStatusLabel = (s: DisputeStatus): string => label('disputeStatus', s);
export const evidenceKindLabel = (k: EvidenceKind): string => label('evidenceKind', k);

// The same table as the server's billing/money.ts: minor units per major unit by ISO 4217.
const ZERO_DECIMAL = new Set([
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'ISK',
  'JPY',
  'KMF',
  'KRW',
  'PYG',
  'RWF',
  'UGX',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
]);
const THREE_DECIMAL = new Set(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']);

export function currencyExponent(currency: string): number {
  const code = currency.toUpperCase();
  if (ZERO_DECIMAL.has(code)) return 0;
  if (THREE_DECIMAL.has(code)) return 3;
  return 2;
}

/** Minor units in the agent's locale: 4990 EUR -> "€49.90", 5000 JPY -> "¥5,000". */
export function formatMoney(amountMinor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  const major = amountMinor / 10 ** exponent;
  try {
    return new Intl.NumberFormat(getLocale(), {
      style: 'currency',
      currency: currency.toUpperCase(),
      minimumFractionDigits: exponent,
      maximumFractionDigits: exponent,
    }).format(major);
  } catch {
    return `${major.toFixed(exponent)} ${currency}`;
  }
}

/** "49.90" -> 4990 minor units without floating-point rounding; null when it is not an amount above zero. */
export function parseMajorAmount(text: string, currency: string): number | null {
  const exponent = currencyExponent(currency);
  const match = /^(\d{1,13})(?:[.,](\d+))?$/.exec(text.trim());
  if (!match) return null;
  const fraction = match[2] ?? '';
  if (fraction.length > exponent) return null;
  const minor = Number(match[1]) * 10 ** exponent + Number(fraction.padEnd(exponent, '0') || '0');
  return minor > 0 ? minor : null;
}

export type DueTone = 'normal' | 'warning' | 'overdue';

export interface DueState {
  /** Changes only when the day or hour does: what a live region may announce. */
  bucket: string;
  text: string;
  tone: DueTone;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** "4 days 3 hours left", "Due in 5 hours" (warning), "Overdue": whole hours, so the text changes at most hourly. */
export function dueState(dueIso: string, now: number): DueState {
  const left = new Date(dueIso).getTime() - now;
  if (Number.isNaN(left)) return { bucket: 'none', text: t('dispute.due.none'), tone: 'normal' };
  if (left <= 0) return { bucket: 'overdue', text: t('dispute.due.overdue'), tone: 'overdue' };
  if (left < HOUR) return { bucket: 'h0', text: t('dispute.due.underHour'), tone: 'warning' };
  if (left < DAY) {
    const hours = Math.floor(left / HOUR);
    return { bucket: `h${hours}`, text: t('dispute.due.inHours', { count: hours }), tone: 'warning' };
  }
  const days = Math.floor(left / DAY);
  const hours = Math.floor((left % DAY) / HOUR);
  const time =
    hours > 0
      ? `${t('dispute.due.days', { count: days })} ${t('dispute.due.hours', { count: hours })}`
      : t('dispute.due.days', { count: days });
  return { bucket: `d${days}h${hours}`, text: t('dispute.due.left', { time }), tone: 'normal' };
}
