import { getLocale, t } from '../../i18n';

/**
 * Money on screen and in forms. The API speaks integer minor units; the agent reads and types major
 * units ("12.50"). Conversions go through strings, never floating-point arithmetic, so what is sent
 * back is exactly what was typed.
 */

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

/** How many minor units a major unit has, as a power of ten (the server's list: 0 for JPY, 3 for BHD). */
export function currencyExponent(currency: string): number {
  const code = currency.toUpperCase();
  if (ZERO_DECIMAL.has(code)) return 0;
  if (THREE_DECIMAL.has(code)) return 3;
  return 2;
}

/** "12.50" for 1250 EUR: the amount in major units as plain digits (a form's starting value). */
export function minorToMajorString(amountMinor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  const sign = amountMinor < 0 ? '-' : '';
  const digits = String(Math.abs(Math.trunc(amountMinor)));
  if (exponent === 0) return sign + digits;
  const padded = digits.padStart(exponent + 1, '0');
  return `${sign}${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`;
}

/** An amount formatted for the agent's locale: "€12.50", "¥1,200". */
export function formatMoney(amountMinor: number, currency: string): string {
  const code = currency.toUpperCase();
  const exponent = currencyExponent(code);
  const major = minorToMajorString(amountMinor, code);
  try {
    // Intl formats a decimal string exactly (no float rounding), in the currency's own fraction digits.
    return new Intl.NumberFormat(getLocale(), {
      style: 'currency',
      currency: code,
      minimumFractionDigits: exponent,
      maximumFractionDigits: exponent,
    }).format(major as unknown as number);
  } catch {
    return `${major} ${code}`;
  }
}

export type AmountProblem = 'empty' | 'format' | 'grouping' | 'decimals' | 'zero' | 'tooLarge';

const MAX_MINOR = Math.floor(Number.MAX_SAFE_INTEGER / 100);
/** "1,200", "1.200,50", "1'200.00": digits in groups of three, as a thousands separator writes them. */
const GROUPED = /^\d{1,3}(?:[,.'\u2019]\d{3})+(?:[.,]\d*)?$/;

/**
 * Minor units from what the agent typed: digits with at most one decimal point ("12.50", "12,5",
 * "1200"). Thousands separators are refused rather than guessed at (is "1.200" twelve hundred or
 * one point two?), and so are more decimals than the currency has: nothing is rounded.
 */
export function parseAmount(text: string, currency: string): { minor: number } | { problem: AmountProblem } {
  const exponent = currencyExponent(currency);
  const cleaned = text.replace(/[\s\u00a0\u202f]/g, '');
  if (!cleaned) return { problem: 'empty' };
  const match = /^(\d*)(?:[.,](\d*))?$/.exec(cleaned);
  if (!match || !/\d/.test(cleaned)) return { problem: GROUPED.test(cleaned) ? 'grouping' : 'format' };
  const whole = match[1] ?? '';
  const fraction = match[2] ?? '';
  // "1,200" yen can only be twelve hundred with a separator (yen have no decimals): say so.
  if (exponent === 0 && fraction.length === 3 && /^[1-9]\d{0,2}$/.test(whole)) return { problem: 'grouping' };
  if (fraction.length > exponent) return { problem: 'decimals' };
  const digits = `${whole}${fraction.padEnd(exponent, '0')}`.replace(/^0+(?=\d)/, '');
  if (digits.length > 15 || Number(digits) > MAX_MINOR) return { problem: 'tooLarge' };
  const minor = Number(digits);
  if (minor === 0) return { problem: 'zero' };
  return { minor };
}

/** How an amount is typed in this currency: "12.50" (EUR), "1200" (JPY), "12.500" (BHD). */
export function amountExample(currency: string): string {
  const exponent = currencyExponent(currency);
  return exponent === 0 ? '1200' : minorToMajorString(1250 * 10 ** (exponent - 2), currency);
}

/** What is wrong with a typed amount, in words that say how to type it instead. */
export function amountProblemText(problem: AmountProblem, currency: string): string {
  const exponent = currencyExponent(currency);
  switch (problem) {
    case 'empty':
      return t('billing.action.amountRequired');
    case 'zero':
      return t('billing.action.amountZero');
    case 'grouping':
      return t('billing.action.amountGrouping', {
        example: exponent === 0 ? '1200' : minorToMajorString(120050 * 10 ** (exponent - 2), currency),
      });
    case 'decimals':
      return exponent === 0
        ? t('billing.action.amountNoDecimals', { currency })
        : t('billing.action.amountDecimals', { count: exponent, currency });
    case 'tooLarge':
      return t('billing.action.amountTooLarge');
    default:
      return exponent === 0
        ? t('billing.action.amountFormatWhole', { example: amountExample(currency) })
        : t('billing.action.amountFormat', { example: amountExample(currency) });
  }
}

/** Adds up amounts per currency (a customer may pay in several). */
export function sumByCurrency(items: { currency: string; amount_minor: number }[]): { currency: string; amount_minor: number }[] {
  const totals = new Map<string, number>();
  for (const item of items) totals.set(item.currency, (totals.get(item.currency) ?? 0) + item.amount_minor);
  return [...totals].map(([currency, amount_minor]) => ({ currency, amount_minor }));
}
