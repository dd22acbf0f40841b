import type { DisputeReason, DisputeStatus, EvidenceKind } from '../../api/disputes';
import { humanize, t, type MessageKey } from '../../i18n';
import { en } from '../../locales/en';

/** A catalog label for an enumeration value; values a newer server adds show humanized. */
function label(prefix: string, value: string): string {
  const key = `${prefix}.${value}`;
  return key in en ? t(key as MessageKey) : humanize(value);
}

export const reasonLabel = (r: DisputeReason): string => label('disputeReason', r);
export const disputeStatusLabel = (s: DisputeStatus): string => label('disputeStatus', s);
export const evidenceKindLabel = (k: EvidenceKind): string => label('evidenceKind', k);

// Money is read and written exactly as on the billing screens (integer minor units, no float rounding).
export { currencyExponent, formatMoney } from '../billing/money';

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
