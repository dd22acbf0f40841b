/**
 * Business-time arithmetic on UTC instants (Date or epoch milliseconds) for a BusinessSchedule.
 *
 * Business time is the set of real instants whose local wall-clock reading, in the schedule's time
 * zone, falls inside that local day's hours, on a local day that is no holiday. Everything below
 * measures that set, so across daylight-saving changes:
 * - a local time that does not exist (clocks jump forward) is skipped: it has no instant;
 * - every real instant counts at most once; a wall-clock hour repeated when clocks fall back is
 *   business time for as long as it really lasts if it lies inside the hours (so a 24x7 schedule in
 *   any zone equals calendar time, and 09:00-17:00 is 8 real hours on every day, transitions
 *   happening at night);
 * - ranges are half-open: a day 09:00-17:00 contains 09:00:00.000, not 17:00:00.000.
 *
 * The work runs day by day, never minute by minute: the zone's offsets are read once per UTC day
 * (through Intl; transitions inside a day are found by bisection) and each day's business ranges as
 * UTC instants are cached per schedule. A search forward (addBusinessMillis, nextBusinessStart)
 * looks at most SEARCH_LIMIT_DAYS ahead and then throws BusinessTimeError; it never loops forever.
 */
import { validateSchedule, parseClock, WEEKDAY_NAMES, type BusinessSchedule } from './business-hours.js';
import { holidayMatcher, type HolidayMatcher } from './holidays.js';

export type Instant = Date | number;

export interface RunningInterval {
  from: Instant;
  to: Instant;
}

/** How far ahead a forward search looks (5 years) before giving up. */
export const SEARCH_LIMIT_DAYS = 5 * 366;
/** Longest span businessMillisBetween measures (100 years): a bound on the work, not a business rule. */
export const MAX_SPAN_DAYS = 100 * 366;

export type BusinessTimeErrorCode = 'sla.no_business_hours' | 'sla.beyond_search_limit' | 'sla.span_too_long';

export class BusinessTimeError extends Error {
  constructor(
    readonly code: BusinessTimeErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BusinessTimeError';
  }
}

const DAY = 86_400_000;
// Larger than any UTC offset a zone has ever had (local mean times reached about +-15:56).
const MAX_OFFSET = 16 * 3_600_000;
const CACHE_LIMIT = 8192;
const EMPTY: readonly number[] = [];
const OFFSET_PATTERN = /GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** The UTC offsets of one zone, read once per UTC day and cached across schedules. */
class ZoneOffsets {
  private readonly format: Intl.DateTimeFormat;
  private readonly startOffsets = new Map<number, number>();
  private readonly changes = new Map<number, Array<[at: number, offset: number]>>();

  constructor(readonly timeZone: string) {
    this.format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
  }

  offsetAt(ms: number): number {
    const match = OFFSET_PATTERN.exec(this.format.format(ms));
    if (!match) throw new Error(`cannot read the UTC offset of ${this.timeZone}`);
    if (match[1] === undefined) return 0;
    const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60 + Number(match[4] ?? 0);
    return (match[1] === '-' ? -seconds : seconds) * 1000;
  }

  private dayStartOffset(utcDay: number): number {
    let offset = this.startOffsets.get(utcDay);
    if (offset === undefined) {
      if (this.startOffsets.size > CACHE_LIMIT * 4) this.startOffsets.clear();
      offset = this.offsetAt(utcDay * DAY);
      this.startOffsets.set(utcDay, offset);
    }
    return offset;
  }

  /**
   * Offset changes inside a UTC day, found by bisection to the second (zones change on whole
   * seconds). Two changes that cancel out within one day would go unseen; no zone has them.
   */
  private changesIn(utcDay: number): Array<[number, number]> {
    let found = this.changes.get(utcDay);
    if (found) return found;
    found = [];
    const end = (utcDay + 1) * DAY;
    const endOffset = this.dayStartOffset(utcDay + 1);
    let low = utcDay * DAY;
    let lowOffset = this.dayStartOffset(utcDay);
    while (lowOffset !== endOffset && found.length < 8) {
      let high = end;
      while (high - low > 1000) {
        const middle = low + Math.floor((high - low) / 2000) * 1000;
        if (this.offsetAt(middle) === lowOffset) low = middle;
        else high = middle;
      }
      lowOffset = this.offsetAt(high);
      low = high;
      found.push([high, lowOffset]);
    }
    if (this.changes.size > CACHE_LIMIT) this.changes.clear();
    this.changes.set(utcDay, found);
    return found;
  }

  /** The offset over all of [from, to) when it does not change there, else null. */
  constantOffset(from: number, to: number): number | null {
    const first = Math.floor(from / DAY);
    const offset = this.dayStartOffset(first);
    for (let utcDay = first; utcDay * DAY < to; utcDay++) {
      if (this.dayStartOffset(utcDay) !== offset || this.changesIn(utcDay).length > 0) return null;
    }
    return offset;
  }

  /** Calls `visit` for consecutive stretches [start, end) of constant offset covering [from, to). */
  forEachStretch(from: number, to: number, visit: (start: number, end: number, offset: number) => void): void {
    for (let utcDay = Math.floor(from / DAY); utcDay * DAY < to; utcDay++) {
      let start = Math.max(from, utcDay * DAY);
      let offset = this.dayStartOffset(utcDay);
      for (const [at, next] of this.changesIn(utcDay)) {
        if (at > start) visit(start, Math.min(at, to), offset);
        start = Math.max(start, at);
        offset = next;
      }
      const end = Math.min(to, (utcDay + 1) * DAY);
      if (end > start) visit(start, end, offset);
    }
  }
}

const zones = new Map<string, ZoneOffsets>();

function zoneOffsets(timeZone: string): ZoneOffsets {
  let zone = zones.get(timeZone);
  if (!zone) {
    if (zones.size > 200) zones.clear();
    zone = new ZoneOffsets(timeZone);
    zones.set(timeZone, zone);
  }
  return zone;
}

interface CompiledSchedule {
  calendar: boolean;
  /** Per weekday (Sunday = 0): flat [start, end, ...] in milliseconds after local midnight. */
  weekly: number[][];
  isHoliday: HolidayMatcher;
  zone: ZoneOffsets;
  /** Local day number -> its business ranges as flat sorted UTC [start, end, ...]. */
  localDays: Map<number, readonly number[]>;
  /** UTC day number -> the business ranges inside it, flat and sorted. */
  utcDays: Map<number, readonly number[]>;
}

const compiledByObject = new WeakMap<BusinessSchedule, CompiledSchedule>();
// Schedules are often read afresh from storage for each call: equal content shares one cache.
// A schedule object is treated as immutable once used (build a new one to change hours).
const compiledByContent = new Map<string, CompiledSchedule>();

function compile(schedule: BusinessSchedule): CompiledSchedule {
  const byObject = compiledByObject.get(schedule);
  if (byObject) return byObject;
  const content = JSON.stringify(schedule);
  let result = compiledByContent.get(content);
  if (!result) {
    result = compileContent(schedule);
    if (compiledByContent.size >= 100) compiledByContent.delete(compiledByContent.keys().next().value!);
    compiledByContent.set(content, result);
  }
  compiledByObject.set(schedule, result);
  return result;
}

function compileContent(schedule: BusinessSchedule): CompiledSchedule {
  // Whatever the type says, the object may come from storage: check it once per content.
  const checked = validateSchedule(schedule);
  if (!checked.ok) {
    const details = checked.errors.map((error) => `${error.field}: ${error.message}`).join('; ');
    throw new TypeError(`invalid business-hours schedule: ${details}`);
  }
  const { timeZone, weekly, holidays } = checked.schedule;
  const ranges = WEEKDAY_NAMES.map((name) =>
    weekly[name].flatMap((range) => [parseClock(range.start)! * 60_000, parseClock(range.end, true)! * 60_000]),
  );
  return {
    calendar: holidays.length === 0 && ranges.every((day) => day.length === 2 && day[0] === 0 && day[1] === DAY),
    weekly: ranges,
    isHoliday: holidayMatcher(holidays),
    zone: zoneOffsets(timeZone),
    localDays: new Map(),
    utcDays: new Map(),
  };
}

/** Sorts flat [start, end, ...] pairs by start and joins touching or overlapping ones. */
function sortAndJoin(flat: number[]): number[] {
  if (flat.length <= 2) return flat;
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i]!, flat[i + 1]!]);
  pairs.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [start, end] of pairs) {
    if (out.length > 0 && start <= out[out.length - 1]!) out[out.length - 1] = Math.max(out[out.length - 1]!, end);
    else out.push(start, end);
  }
  return out;
}

function remember(cache: Map<number, readonly number[]>, key: number, value: readonly number[]): readonly number[] {
  if (cache.size > CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

/** The instants of local day `dayNumber` whose wall-clock time lies in that day's hours. */
function localDayRanges(schedule: CompiledSchedule, dayNumber: number): readonly number[] {
  const cached = schedule.localDays.get(dayNumber);
  if (cached) return cached;
  const hours = schedule.weekly[(((dayNumber + 4) % 7) + 7) % 7]!; // 1970-01-01 was a Thursday
  if (hours.length === 0 || schedule.isHoliday(dayNumber)) return remember(schedule.localDays, dayNumber, EMPTY);
  const midnight = dayNumber * DAY; // local midnight as if the wall clock were UTC
  // Within a stretch of constant offset o, wall time w is the instant w - o.
  const offset = schedule.zone.constantOffset(midnight - MAX_OFFSET, midnight + DAY + MAX_OFFSET);
  if (offset !== null) {
    return remember(
      schedule.localDays,
      dayNumber,
      hours.map((time) => midnight + time - offset),
    );
  }
  const out: number[] = [];
  schedule.zone.forEachStretch(midnight - MAX_OFFSET, midnight + DAY + MAX_OFFSET, (start, end, stretchOffset) => {
    for (let i = 0; i < hours.length; i += 2) {
      const low = Math.max(start, midnight + hours[i]! - stretchOffset);
      const high = Math.min(end, midnight + hours[i + 1]! - stretchOffset);
      if (low < high) out.push(low, high);
    }
  });
  return remember(schedule.localDays, dayNumber, sortAndJoin(out));
}

/** Business ranges inside UTC day `utcDay`, from the (at most three) local days overlapping it. */
function utcDayRanges(schedule: CompiledSchedule, utcDay: number): readonly number[] {
  const cached = schedule.utcDays.get(utcDay);
  if (cached) return cached;
  const dayStart = utcDay * DAY;
  const dayEnd = dayStart + DAY;
  const out: number[] = [];
  for (let dayNumber = utcDay - 1; dayNumber <= utcDay + 1; dayNumber++) {
    const ranges = localDayRanges(schedule, dayNumber);
    for (let i = 0; i < ranges.length; i += 2) {
      const low = Math.max(dayStart, ranges[i]!);
      const high = Math.min(dayEnd, ranges[i + 1]!);
      if (low < high) out.push(low, high);
    }
  }
  return remember(schedule.utcDays, utcDay, out.length === 0 ? EMPTY : sortAndJoin(out));
}

function toMillis(value: Instant, name: string): number {
  const ms = value instanceof Date ? value.getTime() : value;
  if (typeof ms !== 'number' || !Number.isFinite(ms) || Math.abs(ms) > 8.64e15) {
    throw new RangeError(`${name} must be a valid date or epoch milliseconds`);
  }
  return ms;
}

/** Business milliseconds in [from, to); 0 when to <= from. */
export function businessMillisBetween(schedule: BusinessSchedule, from: Instant, to: Instant): number {
  const compiledSchedule = compile(schedule);
  const start = toMillis(from, 'from');
  const end = toMillis(to, 'to');
  if (end <= start) return 0;
  if (compiledSchedule.calendar) return end - start;
  if (end - start > MAX_SPAN_DAYS * DAY) {
    throw new BusinessTimeError('sla.span_too_long', `cannot measure business time over more than ${MAX_SPAN_DAYS} days`);
  }
  let total = 0;
  for (let utcDay = Math.floor(start / DAY); utcDay * DAY < end; utcDay++) {
    const ranges = utcDayRanges(compiledSchedule, utcDay);
    for (let i = 0; i < ranges.length; i += 2) {
      const low = Math.max(start, ranges[i]!);
      const high = Math.min(end, ranges[i + 1]!);
      if (low < high) total += high - low;
    }
  }
  return total;
}

function searchLimitError(code: BusinessTimeErrorCode, what: string, from: number): BusinessTimeError {
  return new BusinessTimeError(code, `${what} within ${SEARCH_LIMIT_DAYS} days after ${new Date(from).toISOString()}`);
}

/**
 * The earliest instant by which `millis` of business time have elapsed after `from` (so a target
 * used up exactly at closing time is due at closing time, not at the next opening). millis = 0
 * returns `from` itself, inside hours or not: nothing is left to elapse. Throws BusinessTimeError
 * when the instant lies more than SEARCH_LIMIT_DAYS ahead, RangeError for negative millis.
 */
export function addBusinessMillis(schedule: BusinessSchedule, from: Instant, millis: number): Date {
  const compiledSchedule = compile(schedule);
  const start = toMillis(from, 'from');
  if (!Number.isFinite(millis) || millis < 0) throw new RangeError('millis must be a finite number >= 0');
  if (millis === 0 || compiledSchedule.calendar) return new Date(start + millis);
  let remaining = millis;
  const firstDay = Math.floor(start / DAY);
  for (let utcDay = firstDay; utcDay <= firstDay + SEARCH_LIMIT_DAYS; utcDay++) {
    const ranges = utcDayRanges(compiledSchedule, utcDay);
    for (let i = 0; i < ranges.length; i += 2) {
      const low = Math.max(start, ranges[i]!);
      const length = ranges[i + 1]! - low;
      if (length <= 0) continue;
      if (remaining <= length) return new Date(low + remaining);
      remaining -= length;
    }
  }
  throw remaining === millis
    ? searchLimitError('sla.no_business_hours', 'the schedule has no business hours', start)
    : searchLimitError('sla.beyond_search_limit', `${millis} ms of business time do not elapse`, start);
}

/** True when `at` lies inside business hours. */
export function isBusinessTime(schedule: BusinessSchedule, at: Instant): boolean {
  const compiledSchedule = compile(schedule);
  const instant = toMillis(at, 'at');
  if (compiledSchedule.calendar) return true;
  const ranges = utcDayRanges(compiledSchedule, Math.floor(instant / DAY));
  for (let i = 0; i < ranges.length; i += 2) {
    if (ranges[i]! <= instant && instant < ranges[i + 1]!) return true;
  }
  return false;
}

/**
 * `at` itself when it lies inside business hours, else the instant the next business hours open.
 * Throws BusinessTimeError when no hours open within SEARCH_LIMIT_DAYS.
 */
export function nextBusinessStart(schedule: BusinessSchedule, at: Instant): Date {
  const compiledSchedule = compile(schedule);
  const instant = toMillis(at, 'at');
  if (compiledSchedule.calendar) return new Date(instant);
  const firstDay = Math.floor(instant / DAY);
  for (let utcDay = firstDay; utcDay <= firstDay + SEARCH_LIMIT_DAYS; utcDay++) {
    const ranges = utcDayRanges(compiledSchedule, utcDay);
    for (let i = 0; i < ranges.length; i += 2) {
      if (ranges[i + 1]! > instant) return new Date(Math.max(instant, ranges[i]!));
    }
  }
  throw searchLimitError('sla.no_business_hours', 'no business hours open', instant);
}

/**
 * Business time over the intervals the clock was running (the caller leaves out the stretches a
 * case spent paused, e.g. pending or on hold). Overlapping intervals count once and inverted ones
 * count nothing, so the result never exceeds businessMillisBetween over the whole span.
 */
export function elapsedWithPauses(schedule: BusinessSchedule, intervals: readonly RunningInterval[]): number {
  const spans = intervals
    .map(
      (interval, index) => [toMillis(interval.from, `intervals[${index}].from`), toMillis(interval.to, `intervals[${index}].to`)] as const,
    )
    .filter(([from, to]) => to > from)
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let openFrom = 0;
  let openTo = -Infinity;
  for (const [from, to] of spans) {
    if (from > openTo) {
      if (openTo > -Infinity) total += businessMillisBetween(schedule, openFrom, openTo);
      openFrom = from;
      openTo = to;
    } else {
      openTo = Math.max(openTo, to);
    }
  }
  if (openTo > -Infinity) total += businessMillisBetween(schedule, openFrom, openTo);
  return total;
}
