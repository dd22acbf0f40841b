import { unprocessable } from '../../platform/errors.js';

/**
 * Money is integer minor units of an ISO 4217 currency (CONVENTIONS.md, Money). The exponent says
 * how many minor units a major unit has: 2 for EUR/USD, 0 for JPY, 3 for BHD.
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

/** The largest amount Baton accepts (about 90 trillion minor units): stays exact in a JS number. */
export const MAX_MINOR = Number.MAX_SAFE_INTEGER / 100;

export function currencyExponent(currency: string): number {
  if (ZERO_DECIMAL.has(currency)) return 0;
  if (THREE_DECIMAL.has(currency)) return 3;
  return 2;
}

/** Upper-cases and checks a currency code; processors (Stripe) send them lower-case. */
export function normalizeCurrency(value: string): string {
  const code = value.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) {
    throw unprocessable('billing.invalid_currency', `"${value}" is not an ISO 4217 currency code`, { currency: value });
  }
  return code;
}

export function assertMinorUnits(amount: number, field = 'amount_minor', { allowZero = false } = {}): void {
  if (!Number.isSafeInteger(amount) || amount < (allowZero ? 0 : 1) || amount > MAX_MINOR) {
    throw unprocessable(
      'billing.invalid_amount',
      `${field} must be a whole number of minor units (cents)${allowZero ? '' : ' above zero'}`,
      {
        field,
        value: amount,
      },
    );
  }
}

/** "49.90 EUR" for notes, letters and PDFs (the web app formats with Intl for the agent's locale). */
export function formatMoney(amountMinor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  const sign = amountMinor < 0 ? '-' : '';
  const abs = Math.abs(amountMinor);
  if (exponent === 0) return `${sign}${abs} ${currency}`;
  const scale = 10 ** exponent;
  const major = Math.floor(abs / scale);
  const minor = String(abs % scale).padStart(exponent, '0');
  return `${sign}${major}.${minor} ${currency}`;
}

/** Parses "49.90" (a CSV cell, a form) into minor units without floating-point rounding. */
export function parseMajorAmount(text: string, currency: string): number | null {
  const exponent = currencyExponent(currency);
  const match = /^(-)?(\d{1,15})(?:[.](\d+))?$/.exec(text.trim());
  if (!match) return null;
  const fraction = match[3] ?? '';
  if (fraction.length > exponent) return null;
  const minor = Number(match[2]) * 10 ** exponent + Number(fraction.padEnd(exponent, '0') || '0');
  return match[1] ? -minor : minor;
}
