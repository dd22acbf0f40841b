import type { SlaTarget } from '../../api/sla';
import { humanize, t, type MessageKey } from '../../i18n';
import { en } from '../../locales/en';

/** A catalog label for an enumeration value; values a newer server adds show humanized. */
export function slaLabel(prefix: string, value: string): string {
  const key = `${prefix}.${value}`;
  return key in en ? t(key as MessageKey) : humanize(value);
}

export const metricLabel = (m: string): string => slaLabel('sla.metric', m);

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86_400;

/**
 * A length of time in words, coarse when long and to the second under ten minutes (the last
 * stretch before a breach is where a live countdown matters): "2 d 4 h", "3 h 5 min", "7 min 12 s".
 */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.round(Math.abs(totalSeconds)));
  if (s >= DAY) {
    const d = Math.floor(s / DAY);
    const h = Math.floor((s % DAY) / HOUR);
    return h > 0 ? t('sla.duration.dh', { d, h }) : t('sla.duration.d', { d });
  }
  if (s >= HOUR) {
    const h = Math.floor(s / HOUR);
    const m = Math.floor((s % HOUR) / MINUTE);
    return m > 0 ? t('sla.duration.hm', { h, m }) : t('sla.duration.h', { h });
  }
  if (s >= 10 * MINUTE) return t('sla.duration.m', { m: Math.floor(s / MINUTE) });
  if (s >= MINUTE) return t('sla.duration.ms', { m: Math.floor(s / MINUTE), s: s % MINUTE });
  return t('sla.duration.s', { s });
}

/** A target length given in minutes: "4 h", "3 d", "90 min" (admin lists). */
export function formatTargetMinutes(minutes: number): string {
  if (minutes % (24 * 60) === 0) return t('sla.duration.d', { d: minutes / (24 * 60) });
  if (minutes % 60 === 0) return t('sla.duration.h', { h: minutes / 60 });
  if (minutes > 60) return t('sla.duration.hm', { h: Math.floor(minutes / 60), m: minutes % 60 });
  return t('sla.duration.m', { m: minutes });
}

export type TargetTone = 'ok' | 'warning' | 'breached' | 'paused' | 'met' | 'met-late';

export interface TargetDisplay {
  /** The state in words (never only a colour): Running, Warning, Overdue, Breached, Paused, Met, Met late. */
  state: string;
  /** Time left, overdue by, or when it was met. */
  detail: string;
  tone: TargetTone;
}

/**
 * What a target shows at `now`. `fetchedAt` is when the server measured `time_left_seconds`:
 * calendar time (or business time with no closed hours before the due time) counts down with the
 * wall clock; otherwise the server's business time left is shown as measured (the panel fetches
 * again every minute), since closed hours do not count.
 */
export function displayTarget(target: SlaTarget, fetchedAt: number, now: number): TargetDisplay {
  if (target.state === 'met') {
    return target.breached
      ? { state: t('sla.state.metLate'), detail: t('sla.took', { time: formatDuration(target.elapsed_seconds) }), tone: 'met-late' }
      : { state: t('sla.state.met'), detail: t('sla.took', { time: formatDuration(target.elapsed_seconds) }), tone: 'met' };
  }
  const left = timeLeft(target, fetchedAt, now);
  if (target.state === 'paused') {
    return {
      state: t('sla.state.paused'),
      detail:
        left === null
          ? ''
          : left < 0
            ? t('sla.overdueBy', { time: formatDuration(left) })
            : t('sla.leftWhenResumed', { time: formatDuration(left) }),
      tone: 'paused',
    };
  }
  if (target.state === 'breached') {
    return { state: t('sla.state.breached'), detail: t('sla.overdueBy', { time: formatDuration(left ?? 0) }), tone: 'breached' };
  }
  if (left !== null && left <= 0) {
    return { state: t('sla.state.overdue'), detail: t('sla.overdueBy', { time: formatDuration(left) }), tone: 'breached' };
  }
  const warned = target.warned_at !== null;
  return {
    state: warned ? t('sla.state.warning') : t('sla.state.running'),
    detail: left === null ? '' : t('sla.left', { time: formatDuration(left) }),
    tone: warned ? 'warning' : 'ok',
  };
}

/** Seconds of policy time left at `now` (negative: overdue), from the server's measure at `fetchedAt`. */
export function timeLeft(target: SlaTarget, fetchedAt: number, now: number): number | null {
  if (target.time_left_seconds === null) return null;
  if (target.state === 'paused' || !target.due_at) return target.time_left_seconds;
  const wallLeftAtFetch = (new Date(target.due_at).getTime() - fetchedAt) / 1000;
  // Policy time left equals the wall-clock time left when no closed hours lie before the due time
  // (always so in calendar time, and once overdue): then the countdown follows the clock.
  if (Math.abs(wallLeftAtFetch - target.time_left_seconds) <= 60 || target.time_left_seconds <= 0) {
    return Math.round((new Date(target.due_at).getTime() - now) / 1000);
  }
  return target.time_left_seconds;
}

/** The worst of a case's targets, for the panel's one-word summary. */
export function worstTone(tones: TargetTone[]): TargetTone | null {
  const order: TargetTone[] = ['breached', 'warning', 'ok', 'paused', 'met-late', 'met'];
  for (const tone of order) if (tones.includes(tone)) return tone;
  return null;
}
