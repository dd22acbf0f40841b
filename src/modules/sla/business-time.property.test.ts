import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateSchedule, WEEKDAY_NAMES, type BusinessHoursInput, type BusinessSchedule, type TimeRange } from './business-hours.js';
import { addBusinessMillis, businessMillisBetween, elapsedWithPauses, isBusinessTime, nextBusinessStart } from './business-time.js';
import type { Holiday } from './holidays.js';

/**
 * Business-time arithmetic against its definition: a real minute is business time when its local
 * wall-clock reading (Intl, in the schedule's zone) lies inside that local day's hours on a local
 * day that is no holiday. The brute-force counter below walks minute by minute and shares no code
 * with business-time.ts. Spans are drawn near the zones' real daylight-saving changes half the time.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// Whole-minute offsets and changes since 2010: the minute walk is exact for them.
const ZONES = [
  'UTC',
  'Europe/Berlin',
  'Europe/London',
  'America/New_York',
  'America/St_Johns',
  'America/Santiago',
  'America/Havana',
  'America/Sao_Paulo',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'Pacific/Auckland',
  'Pacific/Chatham',
  'Pacific/Apia',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Asia/Tehran',
  'Africa/Casablanca',
];
// Zones whose clocks change before 04:00 local time (for the "a week keeps its hours" property).
const NIGHT_CHANGE_ZONES = [
  'Europe/Berlin',
  'Europe/London',
  'America/New_York',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
];
const FIRST = Date.UTC(2010, 0, 1);
const LAST = Date.UTC(2035, 11, 31);

// ---- an independent reading of local time ----

const wallFormats = new Map<string, Intl.DateTimeFormat>();
function wallClock(timeZone: string, ms: number) {
  let format = wallFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    wallFormats.set(timeZone, format);
  }
  const match = /^(\d{2})\/(\d{2})\/(\d{4}), (\d{2}):(\d{2})$/.exec(format.format(ms));
  if (!match) throw new Error(`unexpected wall clock ${format.format(ms)}`);
  const [month, day, year, hour, minute] = [match[1], match[2], match[3], match[4], match[5]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  return { year, month, day, minuteOfDay: hour * 60 + minute };
}

function offsetOf(timeZone: string, ms: number): number {
  const wall = wallClock(timeZone, ms);
  return Date.UTC(wall.year, wall.month - 1, wall.day) + wall.minuteOfDay * MINUTE - Math.floor(ms / MINUTE) * MINUTE;
}

/** The instant of an existing, unambiguous local wall time. */
function instantOfWall(timeZone: string, year: number, month: number, day: number, minuteOfDay: number): number {
  const wall = Date.UTC(year, month - 1, day) + minuteOfDay * MINUTE;
  const guess = wall - offsetOf(timeZone, wall);
  return wall - offsetOf(timeZone, guess);
}

const toMinutes = (clock: string) => (clock === '24:00' ? 1440 : Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3)));

function isBusinessMinute(input: BusinessHoursInput, ms: number): boolean {
  const wall = wallClock(input.timeZone, ms);
  const iso = `${wall.year}-${String(wall.month).padStart(2, '0')}-${String(wall.day).padStart(2, '0')}`;
  const holiday = (input.holidays ?? []).some((h) => ('date' in h ? h.date === iso : h.month === wall.month && h.day === wall.day));
  if (holiday) return false;
  const weekday = WEEKDAY_NAMES[new Date(Date.UTC(wall.year, wall.month - 1, wall.day)).getUTCDay()]!;
  const ranges = (input.weekly as Record<string, TimeRange[] | undefined>)[weekday] ?? [];
  return ranges.some((range) => toMinutes(range.start) <= wall.minuteOfDay && wall.minuteOfDay < toMinutes(range.end));
}

/** Business minutes in [from, to), both on the minute grid, walked one by one. */
function bruteForceMillis(input: BusinessHoursInput, from: number, to: number): number {
  let minutes = 0;
  for (let t = from; t < to; t += MINUTE) if (isBusinessMinute(input, t)) minutes++;
  return minutes * MINUTE;
}

/** Approximate instants (to the UTC noon before) of each zone's offset changes, 2010-2035. */
const transitionCache = new Map<string, number[]>();
function transitionsOf(timeZone: string): number[] {
  let found = transitionCache.get(timeZone);
  if (!found) {
    found = [];
    let previous = offsetOf(timeZone, FIRST);
    for (let t = FIRST + DAY / 2; t < LAST; t += DAY) {
      const offset = offsetOf(timeZone, t);
      if (offset !== previous) found.push(t - DAY);
      previous = offset;
    }
    transitionCache.set(timeZone, found);
  }
  return found;
}

// ---- generators ----

const clockOf = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
// Biased towards midnight and the hours when clocks change.
const cutMinute = fc.oneof(fc.integer({ min: 0, max: 1440 }), fc.constantFrom(0, 60, 90, 120, 150, 165, 180, 225, 1380, 1440));

function dayRanges(minuteRange: { min: number; max: number } = { min: 0, max: 1440 }) {
  return fc
    .uniqueArray(
      cutMinute.filter((m) => m >= minuteRange.min && m <= minuteRange.max),
      { minLength: 0, maxLength: 6 },
    )
    .map((cuts) => {
      const sorted = [...cuts].sort((a, b) => a - b);
      const ranges: TimeRange[] = [];
      for (let i = 0; i + 1 < sorted.length; i += 2) ranges.push({ start: clockOf(sorted[i]!), end: clockOf(sorted[i + 1]!) });
      return ranges;
    });
}

function weeklyOf(days: TimeRange[][]): Record<string, TimeRange[]> {
  const weekly = Object.fromEntries(days.map((ranges, index) => [WEEKDAY_NAMES[index]!, ranges]));
  // A schedule needs hours on some day.
  if (days.every((ranges) => ranges.length === 0)) weekly.wed = [{ start: '09:00', end: '17:00' }];
  return weekly;
}

/** A start instant on the minute grid: uniform over 2010-2035, or within days of a real offset change. */
function startNear(timeZone: string) {
  const transitions = transitionsOf(timeZone);
  const uniform = fc.integer({ min: FIRST / MINUTE, max: LAST / MINUTE }).map((m) => m * MINUTE);
  if (transitions.length === 0) return uniform;
  const near = fc
    .tuple(fc.integer({ min: 0, max: transitions.length - 1 }), fc.integer({ min: -4 * 24 * 60, max: 2 * 24 * 60 }))
    .map(([index, minutes]) => transitions[index]! + minutes * MINUTE);
  return fc.oneof(uniform, near);
}

interface Case {
  input: BusinessHoursInput;
  schedule: BusinessSchedule;
  from: number;
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** A random schedule (zone, weekly hours, holidays near the start) with a start instant. */
const scheduleCase: fc.Arbitrary<Case> = fc
  .constantFrom(...ZONES)
  .chain((timeZone) =>
    fc.record({
      timeZone: fc.constant(timeZone),
      days: fc.array(dayRanges(), { minLength: 7, maxLength: 7 }),
      from: startNear(timeZone),
      datedOffsets: fc.uniqueArray(fc.integer({ min: -1, max: 11 }), { maxLength: 3 }),
      recurring: fc.array(fc.record({ month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 28 }) }), { maxLength: 2 }),
      recurringNearStart: fc.boolean(),
    }),
  )
  .map(({ timeZone, days, from, datedOffsets, recurring, recurringNearStart }) => {
    const holidays: Holiday[] = datedOffsets.map((offset) => ({ date: isoDate(from + offset * DAY) }));
    holidays.push(...recurring);
    if (recurringNearStart) {
      const near = new Date(from + 2 * DAY);
      holidays.push({ month: near.getUTCMonth() + 1, day: near.getUTCDate(), name: 'recurring' });
    }
    const input: BusinessHoursInput = { timeZone, weekly: weeklyOf(days), holidays };
    const checked = validateSchedule(input);
    if (!checked.ok) throw new Error(`generator made an invalid schedule: ${JSON.stringify(checked.errors)}`);
    return { input, schedule: checked.schedule, from };
  });

const weeklyMillis = (input: BusinessHoursInput) =>
  Object.values(input.weekly as Record<string, TimeRange[]>)
    .flat()
    .reduce((sum, range) => sum + (toMinutes(range.end) - toMinutes(range.start)) * MINUTE, 0);

// ---- properties ----

describe('business time agrees with a brute-force minute counter', () => {
  it('businessMillisBetween, isBusinessTime and addBusinessMillis on random schedules and spans up to 10 days', () => {
    fc.assert(
      fc.property(
        scheduleCase,
        fc.integer({ min: 0, max: 10 * 24 * 60 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (c, minutes, pick) => {
          const to = c.from + minutes * MINUTE;
          const expected = bruteForceMillis(c.input, c.from, to);
          expect(businessMillisBetween(c.schedule, c.from, to)).toBe(expected);
          // One minute inside the span, by the definition.
          const probe = c.from + Math.floor(pick * minutes) * MINUTE;
          expect(isBusinessTime(c.schedule, probe)).toBe(isBusinessMinute(c.input, probe));
          // The k-th business minute ends exactly where addBusinessMillis lands.
          const k = Math.floor((pick * expected) / MINUTE);
          if (k > 0) {
            let counted = 0;
            let end = c.from;
            while (counted < k) {
              if (isBusinessMinute(c.input, end)) counted++;
              end += MINUTE;
            }
            expect(addBusinessMillis(c.schedule, c.from, k * MINUTE).getTime()).toBe(end);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('business-time laws', () => {
  it('is never negative and never more than the calendar time', () => {
    fc.assert(
      fc.property(scheduleCase, fc.integer({ min: -3 * 366 * DAY, max: 3 * 366 * DAY }), (c, delta) => {
        const to = c.from + delta;
        const elapsed = businessMillisBetween(c.schedule, c.from, to);
        expect(elapsed).toBeGreaterThanOrEqual(0);
        expect(elapsed).toBeLessThanOrEqual(Math.max(0, to - c.from));
        if (to <= c.from) expect(elapsed).toBe(0);
      }),
      { numRuns: 100 },
    );
  });

  it('is additive: between(a, b) + between(b, c) = between(a, c) for any a <= b <= c, to the millisecond', () => {
    fc.assert(
      fc.property(scheduleCase, fc.integer({ min: 0, max: 20 * DAY }), fc.integer({ min: 0, max: 20 * DAY }), (c, first, second) => {
        const a = c.from + 17; // off the minute grid
        const b = a + first;
        const end = b + second;
        expect(businessMillisBetween(c.schedule, a, b) + businessMillisBetween(c.schedule, b, end)).toBe(
          businessMillisBetween(c.schedule, a, end),
        );
      }),
      { numRuns: 100 },
    );
  });

  it('addBusinessMillis inverts businessMillisBetween and returns the earliest such instant', () => {
    fc.assert(
      fc.property(scheduleCase, fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 999 }), (c, share, offGrid) => {
        const from = c.from + offGrid;
        const millis = 1 + Math.floor(share * Math.min(400 * HOUR, 4 * weeklyMillis(c.input)));
        const due = addBusinessMillis(c.schedule, from, millis).getTime();
        expect(due).toBeGreaterThan(from);
        expect(businessMillisBetween(c.schedule, from, due)).toBe(millis);
        expect(businessMillisBetween(c.schedule, from, due - 1)).toBe(millis - 1);
        expect(isBusinessTime(c.schedule, due - 1)).toBe(true);
        // And the other way round: due at an instant never later than the span it was measured over.
        const span = Math.floor(share * 10 * DAY);
        const measured = businessMillisBetween(c.schedule, from, from + span);
        if (measured > 0) expect(addBusinessMillis(c.schedule, from, measured).getTime()).toBeLessThanOrEqual(from + span);
      }),
      { numRuns: 100 },
    );
  });

  it('nextBusinessStart is the first business instant at or after the given one', () => {
    fc.assert(
      fc.property(scheduleCase, (c) => {
        const next = nextBusinessStart(c.schedule, c.from).getTime();
        expect(next).toBeGreaterThanOrEqual(c.from);
        expect(isBusinessTime(c.schedule, next)).toBe(true);
        expect(businessMillisBetween(c.schedule, c.from, next)).toBe(0);
        if (next > c.from) expect(isBusinessTime(c.schedule, next - 1)).toBe(false);
      }),
      { numRuns: 100 },
    );
  });

  it('pausing never adds time: running intervals inside a span never count more than the span', () => {
    const pieces = fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), {
      maxLength: 8,
    });
    fc.assert(
      fc.property(scheduleCase, fc.integer({ min: 0, max: 15 * DAY }), pieces, (c, length, cuts) => {
        const to = c.from + length;
        const whole = businessMillisBetween(c.schedule, c.from, to);
        const running = cuts.map(([x, y]) => ({ from: c.from + Math.floor(x * length), to: c.from + Math.floor(y * length) }));
        const paused = elapsedWithPauses(c.schedule, running);
        expect(paused).toBeLessThanOrEqual(whole);
        expect(elapsedWithPauses(c.schedule, [{ from: c.from, to }])).toBe(whole);
        // Pausing some more (dropping a running interval) never adds time either.
        expect(elapsedWithPauses(c.schedule, running.slice(1))).toBeLessThanOrEqual(paused);
        // Disjoint running intervals add up.
        const split = c.from + Math.floor(length / 3);
        expect(
          elapsedWithPauses(c.schedule, [
            { from: c.from, to: split },
            { from: split, to },
          ]),
        ).toBe(whole);
      }),
      { numRuns: 100 },
    );
  });

  it('a holiday never adds time and removes exactly its own local day', () => {
    fc.assert(
      fc.property(scheduleCase, fc.integer({ min: 0, max: 6 }), (c, dayAfter) => {
        const to = c.from + 8 * DAY;
        const date = isoDate(c.from + dayAfter * DAY);
        const withHoliday = validateSchedule({ ...c.input, holidays: [...(c.input.holidays ?? []), { date }] });
        if (!withHoliday.ok) throw new Error('invalid');
        const before = businessMillisBetween(c.schedule, c.from, to);
        const after = businessMillisBetween(withHoliday.schedule, c.from, to);
        expect(after).toBeLessThanOrEqual(before);
        // Sample the holiday's local day: never business time with the holiday.
        const [year, month, day] = date.split('-').map(Number) as [number, number, number];
        const noon = instantOfWall(c.input.timeZone, year, month, day, 12 * 60);
        if (wallClock(c.input.timeZone, noon).day === day) expect(isBusinessTime(withHoliday.schedule, noon)).toBe(false);
      }),
      { numRuns: 60 },
    );
  });

  it('a week with the same hours every day (after 04:00) keeps 7 days of hours across daylight-saving changes', () => {
    const weekCase = fc.constantFrom(...NIGHT_CHANGE_ZONES).chain((timeZone) =>
      fc.record({
        timeZone: fc.constant(timeZone),
        ranges: dayRanges({ min: 240, max: 1440 }).filter((ranges) => ranges.length > 0),
        transition: fc.constantFrom(...transitionsOf(timeZone)),
        shift: fc.integer({ min: -5, max: -1 }),
      }),
    );
    fc.assert(
      fc.property(weekCase, ({ timeZone, ranges, transition, shift }) => {
        const weekly = Object.fromEntries(WEEKDAY_NAMES.map((name) => [name, ranges]));
        const checked = validateSchedule({ timeZone, weekly });
        if (!checked.ok) throw new Error('invalid');
        const first = wallClock(timeZone, transition + shift * DAY);
        const start = instantOfWall(timeZone, first.year, first.month, first.day, 240);
        const last = new Date(Date.UTC(first.year, first.month - 1, first.day + 7));
        const end = instantOfWall(timeZone, last.getUTCFullYear(), last.getUTCMonth() + 1, last.getUTCDate(), 240);
        const daily = ranges.reduce((sum, range) => sum + (toMinutes(range.end) - toMinutes(range.start)) * MINUTE, 0);
        expect(businessMillisBetween(checked.schedule, start, end)).toBe(7 * daily);
      }),
      { numRuns: 60 },
    );
  });
});
