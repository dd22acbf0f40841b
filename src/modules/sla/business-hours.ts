/**
 * Business hours: an IANA time zone, weekly opening hours as local wall-clock ranges and holidays.
 * validateSchedule turns untrusted input into a BusinessSchedule (the canonical, storable form the
 * arithmetic in business-time.ts works on); CALENDAR is the 24x7 schedule (calendar time).
 */
import { validateHolidays, type FieldError, type Holiday } from './holidays.js';

export type { FieldError, Holiday } from './holidays.js';

export const WEEKDAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type WeekdayName = (typeof WEEKDAY_NAMES)[number];
/** A weekday as a name or as its number, Sunday = 0 (object keys arrive as strings: '0'-'6'). */
export type WeekdayKey = WeekdayName | 0 | 1 | 2 | 3 | 4 | 5 | 6 | '0' | '1' | '2' | '3' | '4' | '5' | '6';

/** Local wall-clock range [start, end): 'HH:MM' from 00:00 to 23:59; end may be '24:00' (midnight). */
export interface TimeRange {
  start: string;
  end: string;
}

/** What a caller gives: days left out have no hours. */
export interface BusinessHoursInput {
  timeZone: string;
  weekly: Partial<Record<WeekdayKey, TimeRange[]>>;
  holidays?: Holiday[];
}

/** The validated form: canonical zone name, all seven days by name, ranges sorted by start. */
export interface BusinessSchedule {
  timeZone: string;
  weekly: Record<WeekdayName, TimeRange[]>;
  holidays: Holiday[];
}

export type ScheduleValidation = { ok: true; schedule: BusinessSchedule } | { ok: false; errors: FieldError[] };

export const MAX_RANGES_PER_DAY = 24;
export const MAX_TIME_ZONE_LENGTH = 64;

const CLOCK_PATTERN = /^(\d{2}):(\d{2})$/;

/** Minutes after local midnight of 'HH:MM' (00:00-23:59, and 24:00 when `allowMidnightEnd`), or null. */
export function parseClock(value: string, allowMidnightEnd = false): number | null {
  const match = CLOCK_PATTERN.exec(value);
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (allowMidnightEnd && hours === 24 && minutes === 0) return 1440;
  if (hours > 23 || minutes > 59) return null;
  return hours * 60 + minutes;
}

const zoneNames = new Map<string, string | null>();

/** The canonical IANA name of a time zone ('europe/berlin' -> 'Europe/Berlin'), or null when unknown. */
export function canonicalTimeZone(value: string): string | null {
  const known = zoneNames.get(value);
  if (known !== undefined) return known;
  let canonical: string | null = null;
  // Offsets ('+05:30') are refused although newer ICU accepts them: they carry no DST rules.
  if (value.length > 0 && value.length <= MAX_TIME_ZONE_LENGTH && !/^[+-]/.test(value)) {
    try {
      canonical = new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
    } catch {
      canonical = null;
    }
  }
  if (zoneNames.size > 1000) zoneNames.clear();
  zoneNames.set(value, canonical);
  return canonical;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function weekdayIndex(key: string): number | null {
  if (/^[0-6]$/.test(key)) return Number(key);
  const index = (WEEKDAY_NAMES as readonly string[]).indexOf(key);
  return index >= 0 ? index : null;
}

function validateRange(value: unknown, field: string, errors: FieldError[]): { range: TimeRange; start: number; end: number } | null {
  if (!isRecord(value)) {
    errors.push({ field, message: 'a range must be an object {start: "HH:MM", end: "HH:MM"}' });
    return null;
  }
  const before = errors.length;
  for (const key of Object.keys(value)) {
    if (key !== 'start' && key !== 'end') errors.push({ field: `${field}.${key}`, message: 'unknown field' });
  }
  const start = typeof value.start === 'string' ? parseClock(value.start) : null;
  const end = typeof value.end === 'string' ? parseClock(value.end, true) : null;
  if (start === null) errors.push({ field: `${field}.start`, message: 'start must be a time HH:MM from 00:00 to 23:59' });
  if (end === null) errors.push({ field: `${field}.end`, message: 'end must be a time HH:MM from 00:01 to 24:00' });
  if (start !== null && end !== null && end <= start) {
    const what = end === start ? 'is empty' : 'is inverted';
    errors.push({
      field,
      message: `${String(value.start)}-${String(value.end)} ${what}: end must be after start on the same day (split a night shift into two days' ranges, ending at 24:00 and starting at 00:00)`,
    });
  }
  if (errors.length > before || start === null || end === null) return null;
  return { range: { start: value.start as string, end: value.end as string }, start, end };
}

function validateDay(value: unknown, field: string, errors: FieldError[]): TimeRange[] {
  if (!Array.isArray(value)) {
    errors.push({ field, message: 'a day must be a list of ranges {start, end} (empty for closed)' });
    return [];
  }
  if (value.length > MAX_RANGES_PER_DAY) {
    errors.push({ field, message: `at most ${MAX_RANGES_PER_DAY} ranges per day` });
    return [];
  }
  const ranges = value
    .map((item: unknown, index) => {
      const checked = validateRange(item, `${field}[${index}]`, errors);
      return checked && { ...checked, index };
    })
    .filter((item) => item !== null);
  ranges.sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < ranges.length; i++) {
    const previous = ranges[i - 1]!;
    const current = ranges[i]!;
    if (current.start < previous.end) {
      const [later, earlier] = current.index > previous.index ? [current, previous] : [previous, current];
      errors.push({
        field: `${field}[${later.index}]`,
        message: `${later.range.start}-${later.range.end} overlaps ${earlier.range.start}-${earlier.range.end} (${field}[${earlier.index}])`,
      });
    }
  }
  return ranges.map((item) => item.range);
}

function validateWeekly(value: unknown, errors: FieldError[]): Record<WeekdayName, TimeRange[]> {
  const weekly = Object.fromEntries(WEEKDAY_NAMES.map((name) => [name, [] as TimeRange[]])) as Record<WeekdayName, TimeRange[]>;
  if (!isRecord(value)) {
    errors.push({ field: 'weekly', message: 'weekly must be an object of days (0-6 with Sunday = 0, or sun-sat) to lists of ranges' });
    return weekly;
  }
  const seen = new Map<number, string>();
  let hasHours = false;
  const before = errors.length;
  for (const [key, day] of Object.entries(value)) {
    const field = `weekly.${key}`;
    const index = weekdayIndex(key);
    if (index === null) {
      errors.push({ field, message: 'unknown day: use 0-6 (Sunday = 0) or sun, mon, tue, wed, thu, fri, sat' });
      continue;
    }
    const other = seen.get(index);
    if (other !== undefined) {
      errors.push({ field, message: `${WEEKDAY_NAMES[index]} is also given as weekly.${other}` });
      continue;
    }
    seen.set(index, key);
    const ranges = validateDay(day, field, errors);
    weekly[WEEKDAY_NAMES[index]!] = ranges;
    if (ranges.length > 0) hasHours = true;
  }
  if (!hasHours && errors.length === before) {
    errors.push({ field: 'weekly', message: 'no business hours on any day (use CALENDAR for 24x7)' });
  }
  return weekly;
}

/** Checks untrusted input; on success returns the canonical schedule the arithmetic accepts. */
export function validateSchedule(input: unknown): ScheduleValidation {
  const errors: FieldError[] = [];
  if (!isRecord(input)) return { ok: false, errors: [{ field: '', message: 'a schedule must be an object {timeZone, weekly, holidays}' }] };
  for (const key of Object.keys(input)) {
    if (key !== 'timeZone' && key !== 'weekly' && key !== 'holidays') errors.push({ field: key, message: 'unknown field' });
  }
  let timeZone: string | null = null;
  if (typeof input.timeZone !== 'string' || input.timeZone.length === 0) {
    errors.push({ field: 'timeZone', message: 'timeZone must be an IANA time zone name such as Europe/Berlin' });
  } else {
    timeZone = canonicalTimeZone(input.timeZone);
    if (timeZone === null) {
      const shown = input.timeZone.slice(0, MAX_TIME_ZONE_LENGTH);
      errors.push({ field: 'timeZone', message: `unknown time zone "${shown}": use an IANA name such as Europe/Berlin` });
    }
  }
  const weekly = validateWeekly(input.weekly, errors);
  const holidays = validateHolidays(input.holidays, errors);
  if (errors.length > 0 || timeZone === null) return { ok: false, errors };
  return { ok: true, schedule: { timeZone, weekly, holidays } };
}

const ALL_DAY: TimeRange[] = [{ start: '00:00', end: '24:00' }];

/** Round the clock, every day, no holidays: business time equals calendar time. */
export const CALENDAR: BusinessSchedule = Object.freeze({
  timeZone: 'UTC',
  weekly: Object.freeze(Object.fromEntries(WEEKDAY_NAMES.map((name) => [name, ALL_DAY]))) as Record<WeekdayName, TimeRange[]>,
  holidays: [],
});
