import { getLocale } from '../../i18n';

/** A day ("3 Nov 2026"): billing dates (renewals, due dates) matter by the day, not the minute. */
export function formatBillingDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(getLocale(), { dateStyle: 'medium' }).format(date);
}

export function BillingDate({ iso }: { iso: string }) {
  return <time dateTime={iso}>{formatBillingDate(iso)}</time>;
}
