import { parseClock, WEEKDAY_NAMES, type BusinessSchedule } from './business-hours.js';
import { dateOfDayNumber, dayNumberOf, holidayMatcher } from './holidays.js';

/**
 * Whole business days of a schedule, for rules written in days rather than hours ("by the close
 * of the third business day after the day of receipt", FCA DISP 1.5). A business day is a local
 * calendar day of the schedule's zone with hours that is no holiday; its close is the end of its
 * last range, in local time.
 */

const DAY = 86_400_000;
const MAX_DAYS_AHEAD = 5 * 366;

const offsetFormats = new Map<string, Intl.DateTimeFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function offsetAt(timeZone: string, ms: number): number {
  let format = offsetFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    offsetFormats.set(timeZone, format);
  }
  const match = /GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(format.format(ms));
  if (!match || match[1] === undefined) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return (match[1] === '-' ? -minutes : minutes) * 60_000;
}

/** The local calendar day (days since 1970-01-01) of an instant in a zone. */
export function localDayNumber(timeZone: string, at: Date): number {
  let format = dateFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(timeZone, format);
  }
  const [year, month, day] = format.format(at).split('-').map(Number) as [number, number, number];
  return dayNumberOf(year, month, day);
}

/** The instant a local wall-clock time (minutes after midnight, 1440 = the next midnight) happens in a zone. */
export function instantOfLocal(timeZone: string, dayNumber: number, minutes: number): Date {
  const wall = dayNumber * DAY + minutes * 60_000;
  // Two rounds settle the offset on either side of a change; a skipped wall time maps past the gap.
  let guess = wall - offsetAt(timeZone, wall);
  guess = wall - offsetAt(timeZone, guess);
  return new Date(guess);
}

export function isBusinessDay(schedule: BusinessSchedule, dayNumber: number, isHoliday = holidayMatcher(schedule.holidays)): boolean {
  // 1970-01-01 was a Thursday (index 4 of sun..sat).
  const weekday = WEEKDAY_NAMES[(((dayNumber + 4) % 7) + 7) % 7]!;
  return schedule.weekly[weekday].length > 0 && !isHoliday(dayNumber);
}

/**
 * The close of the `n`th business day after the local day of `receivedAt` (that day itself does
 * not count, whatever the time of receipt). Null when the schedule has no business day within
 * five years.
 */
export function closeOfNthBusinessDayAfter(
  schedule: BusinessSchedule,
  receivedAt: Date,
  n: number,
): { day: string; closesAt: Date } | null {
  const isHoliday = holidayMatcher(schedule.holidays);
  const start = localDayNumber(schedule.timeZone, receivedAt);
  let counted = 0;
  for (let day = start + 1; day <= start + MAX_DAYS_AHEAD; day++) {
    if (!isBusinessDay(schedule, day, isHoliday)) continue;
    counted += 1;
    if (counted < n) continue;
    const weekday = WEEKDAY_NAMES[(((day + 4) % 7) + 7) % 7]!;
    const ranges = schedule.weekly[weekday];
    const close = parseClock(ranges[ranges.length - 1]!.end, true) ?? 1440;
    const { year, month, day: dom } = dateOfDayNumber(day);
    const date = `${year}-${String(month).padStart(2, '0')}-${String(dom).padStart(2, '0')}`;
    return { day: date, closesAt: instantOfLocal(schedule.timeZone, day, close) };
  }
  return null;
}
