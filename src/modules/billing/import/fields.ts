import { MAX_MINOR, parseMajorAmount } from '../money.js';

/** Checks of single CSV cells; each problem becomes `{field, code, message}` on the row. */

export interface FieldError {
  field: string;
  code: string;
  message: string;
}

const KNOWN_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export class RowErrors {
  readonly errors: FieldError[] = [];
  add(field: string, code: string, message: string): void {
    this.errors.push({ field, code, message });
  }
  get ok(): boolean {
    return this.errors.length === 0;
  }

  required(values: Record<string, string>, field: string): string | null {
    const value = values[field] ?? '';
    if (value === '') {
      this.add(field, 'required', `${field} is required`);
      return null;
    }
    return value;
  }

  text(values: Record<string, string>, field: string, max: number): string | null {
    const value = values[field] ?? '';
    if (value === '') return null;
    // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
    if (value.length > max || /[\u0000-\u001f\u007f]/.test(value)) {
      this.add(field, 'invalid_text', `${field} must be at most ${max} characters without control characters`);
      return null;
    }
    return value;
  }

  currency(values: Record<string, string>, field = 'currency'): string | null {
    const raw = this.required(values, field);
    if (raw === null) return null;
    const code = raw.toUpperCase();
    if (!/^[A-Z]{3}$/.test(code) || !KNOWN_CURRENCIES.has(code)) {
      this.add(field, 'invalid_currency', `"${raw}" is not an ISO 4217 currency code (e.g. EUR, USD)`);
      return null;
    }
    return code;
  }

  /** A major-unit amount ("49.90") into minor units, exactly (no floating point). */
  amount(
    values: Record<string, string>,
    field: string,
    currency: string | null,
    options: { required: boolean; positive: boolean },
  ): number | null {
    const raw = options.required ? this.required(values, field) : values[field] || null;
    if (raw === null || currency === null) return null;
    const minor = parseMajorAmount(raw, currency);
    if (minor === null) {
      this.add(
        field,
        'invalid_amount',
        `"${raw}" is not an amount in ${currency} (digits, a "." and at most the currency's decimal places, e.g. 49.90)`,
      );
      return null;
    }
    if (minor < (options.positive ? 1 : 0) || minor > MAX_MINOR) {
      this.add(field, 'invalid_amount', `${field} must be ${options.positive ? 'above' : 'at least'} zero and within range`);
      return null;
    }
    return minor;
  }

  oneOf<T extends string>(values: Record<string, string>, field: string, allowed: readonly T[], fallback?: T): T | null {
    const raw = (values[field] ?? '').toLowerCase();
    if (raw === '' && fallback !== undefined) return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      this.add(
        field,
        raw === '' ? 'required' : 'invalid_status',
        raw === '' ? `${field} is required` : `"${values[field]}" is not one of: ${allowed.join(', ')}`,
      );
      return null;
    }
    return raw as T;
  }

  /** "2026-01-31" (midnight UTC) or an ISO 8601 date-time with a zone. */
  date(values: Record<string, string>, field: string): Date | null {
    const raw = values[field] ?? '';
    if (raw === '') return null;
    const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(raw);
    const dateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})$/.test(raw);
    const parsed = new Date(dateOnly ? `${raw}T00:00:00Z` : raw);
    if ((!dateOnly && !dateTime) || Number.isNaN(parsed.getTime()) || (dateOnly && parsed.toISOString().slice(0, 10) !== raw)) {
      this.add(field, 'invalid_date', `"${raw}" is not a date (2026-01-31) or date-time with zone (2026-01-31T09:30:00Z)`);
      return null;
    }
    return parsed;
  }

  email(values: Record<string, string>, field: string, required: boolean): string | null {
    const raw = values[field] ?? '';
    if (raw === '') {
      if (required) this.add(field, 'required', `${field} is required`);
      return null;
    }
    const email = raw.toLowerCase();
    if (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
      this.add(field, 'invalid_email', `"${raw}" is not an email address`);
      return null;
    }
    return email;
  }
}
