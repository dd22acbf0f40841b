import { describe, expect, it } from 'vitest';
import { CALENDAR, validateSchedule, type BusinessHoursInput, type BusinessSchedule } from './business-hours.js';
import {
  addBusinessMillis,
  BusinessTimeError,
  businessMillisBetween,
  elapsedWithPauses,
  isBusinessTime,
  nextBusinessStart,
  SEARCH_LIMIT_DAYS,
} from './business-time.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const at = (iso: string) => Date.parse(iso);

function schedule(input: BusinessHoursInput): BusinessSchedule {
  const result = validateSchedule(input);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.schedule;
}

const nineToFive = [{ start: '09:00', end: '17:00' }];
const officeWeek = { mon: nineToFive, tue: nineToFive, wed: nineToFive, thu: nineToFive, fri: nineToFive };
const berlin = schedule({ timeZone: 'Europe/Berlin', weekly: officeWeek });
const newYork = schedule({ timeZone: 'America/New_York', weekly: officeWeek });

describe('Berlin 09:00-17:00 Mon-Fri across daylight-saving changes', () => {
  it('spring forward (Sunday 2026-03-29): Friday CET and Monday CEST days are 8 hours each', () => {
    // Friday 09:00 CET = 08:00Z; Monday 17:00 CEST = 15:00Z.
    expect(businessMillisBetween(berlin, at('2026-03-27T08:00:00Z'), at('2026-03-30T15:00:00Z'))).toBe(16 * HOUR);
    expect(businessMillisBetween(berlin, at('2026-03-30T00:00:00Z'), at('2026-03-31T00:00:00Z'))).toBe(8 * HOUR);
    expect(isBusinessTime(berlin, at('2026-03-30T06:59:59Z'))).toBe(false);
    expect(isBusinessTime(berlin, at('2026-03-30T07:00:00Z'))).toBe(true);
    // Friday 16:00 CET (15:00Z) + 2h -> Monday 10:00 CEST (08:00Z).
    expect(addBusinessMillis(berlin, at('2026-03-27T15:00:00Z'), 2 * HOUR).toISOString()).toBe('2026-03-30T08:00:00.000Z');
    expect(nextBusinessStart(berlin, at('2026-03-27T16:00:00Z')).toISOString()).toBe('2026-03-30T07:00:00.000Z');
    // Two full weeks, the change in the middle: 10 days of 8 hours.
    expect(businessMillisBetween(berlin, at('2026-03-23T00:00:00Z'), at('2026-04-06T00:00:00Z'))).toBe(80 * HOUR);
  });

  it('fall back (Sunday 2026-10-25): Friday CEST and Monday CET days are 8 hours each', () => {
    // Friday 17:00 CEST = 15:00Z; Monday 09:00 CET = 08:00Z.
    expect(businessMillisBetween(berlin, at('2026-10-23T07:00:00Z'), at('2026-10-26T16:00:00Z'))).toBe(16 * HOUR);
    expect(addBusinessMillis(berlin, at('2026-10-23T14:00:00Z'), 2 * HOUR).toISOString()).toBe('2026-10-26T09:00:00.000Z');
    expect(nextBusinessStart(berlin, at('2026-10-23T15:00:00Z')).toISOString()).toBe('2026-10-26T08:00:00.000Z');
    expect(businessMillisBetween(berlin, at('2026-10-19T00:00:00Z'), at('2026-11-02T00:00:00Z'))).toBe(80 * HOUR);
  });

  it('skips a local time that does not exist and counts a repeated hour for the time it really lasts', () => {
    const sundays = (hours: Array<{ start: string; end: string }>) => schedule({ timeZone: 'Europe/Berlin', weekly: { sun: hours } });
    const wholeDay = sundays([{ start: '00:00', end: '24:00' }]);
    const night = sundays([{ start: '01:00', end: '04:00' }]);
    const week = (sunday: string) => [at(`${sunday}T00:00:00Z`) - 3 * 24 * HOUR, at(`${sunday}T00:00:00Z`) + 3 * 24 * HOUR] as const;
    expect(businessMillisBetween(wholeDay, ...week('2026-03-29'))).toBe(23 * HOUR);
    expect(businessMillisBetween(wholeDay, ...week('2026-10-25'))).toBe(25 * HOUR);
    // 02:00-03:00 does not exist on 29 March; it happens twice on 25 October.
    expect(businessMillisBetween(night, ...week('2026-03-29'))).toBe(2 * HOUR);
    expect(businessMillisBetween(night, ...week('2026-10-25'))).toBe(4 * HOUR);
    // Hours opening at a time that does not exist open when the clocks resume: 03:00 CEST = 01:00Z.
    const fromTwo = sundays([{ start: '02:00', end: '05:00' }]);
    expect(nextBusinessStart(fromTwo, at('2026-03-28T23:30:00Z')).toISOString()).toBe('2026-03-29T01:00:00.000Z');
    expect(isBusinessTime(fromTwo, at('2026-03-29T00:59:59Z'))).toBe(false);
    // Each real instant counts once: on 25 October 02:30 CEST (00:30Z) and 02:30 CET (01:30Z) both are inside.
    expect(isBusinessTime(fromTwo, at('2026-10-25T00:30:00Z'))).toBe(true);
    expect(isBusinessTime(fromTwo, at('2026-10-25T01:30:00Z'))).toBe(true);
    expect(businessMillisBetween(fromTwo, ...week('2026-10-25'))).toBe(4 * HOUR);
  });
});

describe('New York 09:00-17:00 Mon-Fri across daylight-saving changes', () => {
  it('spring forward (2026-03-08)', () => {
    // Friday 09:00 EST = 14:00Z; Monday 17:00 EDT = 21:00Z.
    expect(businessMillisBetween(newYork, at('2026-03-06T14:00:00Z'), at('2026-03-09T21:00:00Z'))).toBe(16 * HOUR);
    // Friday 16:00 EST (21:00Z) + 2h -> Monday 10:00 EDT (14:00Z); from 15:00 EST it is due at closing.
    expect(addBusinessMillis(newYork, at('2026-03-06T21:00:00Z'), 2 * HOUR).toISOString()).toBe('2026-03-09T14:00:00.000Z');
    expect(addBusinessMillis(newYork, at('2026-03-06T20:00:00Z'), 2 * HOUR).toISOString()).toBe('2026-03-06T22:00:00.000Z');
  });

  it('fall back (2026-11-01)', () => {
    // Friday 09:00 EDT = 13:00Z; Monday 17:00 EST = 22:00Z.
    expect(businessMillisBetween(newYork, at('2026-10-30T13:00:00Z'), at('2026-11-02T22:00:00Z'))).toBe(16 * HOUR);
    expect(nextBusinessStart(newYork, at('2026-10-30T21:00:00Z')).toISOString()).toBe('2026-11-02T14:00:00.000Z');
    expect(addBusinessMillis(newYork, at('2026-10-30T20:00:00Z'), 8 * HOUR).toISOString()).toBe('2026-11-02T21:00:00.000Z');
  });
});

describe('day shapes', () => {
  it('split day 09:00-12:00 and 13:00-17:00 (Berlin winter, UTC+1)', () => {
    const split = schedule({
      timeZone: 'Europe/Berlin',
      weekly: {
        mon: [
          { start: '09:00', end: '12:00' },
          { start: '13:00', end: '17:00' },
        ],
      },
    });
    expect(businessMillisBetween(split, at('2026-01-05T07:00:00Z'), at('2026-01-05T14:00:00Z'))).toBe(5 * HOUR);
    expect(isBusinessTime(split, at('2026-01-05T11:30:00Z'))).toBe(false);
    expect(nextBusinessStart(split, at('2026-01-05T11:30:00Z')).toISOString()).toBe('2026-01-05T12:00:00.000Z');
    expect(addBusinessMillis(split, at('2026-01-05T10:00:00Z'), 2 * HOUR).toISOString()).toBe('2026-01-05T13:00:00.000Z');
    // Used up exactly at the lunch break: due at 12:00, not at 13:00.
    expect(addBusinessMillis(split, at('2026-01-05T10:00:00Z'), HOUR).toISOString()).toBe('2026-01-05T11:00:00.000Z');
    expect(businessMillisBetween(split, at('2026-01-05T00:00:00Z'), at('2026-01-12T00:00:00Z'))).toBe(7 * HOUR);
  });

  it('a night shift crossing midnight as two ranges (New York winter, UTC-5)', () => {
    const nights = schedule({
      timeZone: 'America/New_York',
      weekly: { mon: [{ start: '22:00', end: '24:00' }], tue: [{ start: '00:00', end: '06:00' }] },
    });
    // Monday 22:00 EST = Tuesday 03:00Z; Tuesday 06:00 EST = 11:00Z.
    expect(businessMillisBetween(nights, at('2026-01-05T00:00:00Z'), at('2026-01-08T00:00:00Z'))).toBe(8 * HOUR);
    expect(isBusinessTime(nights, at('2026-01-06T05:00:00Z'))).toBe(true); // local midnight
    expect(addBusinessMillis(nights, at('2026-01-06T04:00:00Z'), 2 * HOUR).toISOString()).toBe('2026-01-06T06:00:00.000Z');
    expect(addBusinessMillis(nights, at('2026-01-06T10:00:00Z'), 2 * HOUR).toISOString()).toBe('2026-01-13T04:00:00.000Z');
  });

  it('dated and recurring holidays take out whole local days', () => {
    const festive = schedule({
      timeZone: 'Europe/Berlin',
      weekly: officeWeek,
      holidays: [
        { date: '2026-12-24', name: 'Christmas Eve 2026' },
        { month: 12, day: 25, name: 'Christmas Day' },
      ],
    });
    // 2026: Thursday 24 and Friday 25 are holidays; only Wednesday 23 counts.
    expect(businessMillisBetween(festive, at('2026-12-22T23:00:00Z'), at('2026-12-27T23:00:00Z'))).toBe(8 * HOUR);
    expect(isBusinessTime(festive, at('2026-12-24T10:00:00Z'))).toBe(false);
    expect(nextBusinessStart(festive, at('2026-12-23T16:00:00Z')).toISOString()).toBe('2026-12-28T08:00:00.000Z');
    expect(addBusinessMillis(festive, at('2026-12-23T15:00:00Z'), 2 * HOUR).toISOString()).toBe('2026-12-28T09:00:00.000Z');
    // 2030: Tuesday 24 is a working day (the dated holiday was 2026 only), Wednesday 25 is not.
    expect(businessMillisBetween(festive, at('2030-12-22T23:00:00Z'), at('2030-12-28T23:00:00Z'))).toBe(32 * HOUR);
    expect(isBusinessTime(festive, at('2030-12-24T10:00:00Z'))).toBe(true);
    expect(isBusinessTime(festive, at('2030-12-25T10:00:00Z'))).toBe(false);
  });

  it('Asia/Kolkata (UTC+05:30)', () => {
    const kolkata = schedule({ timeZone: 'Asia/Kolkata', weekly: officeWeek });
    expect(isBusinessTime(kolkata, at('2026-01-05T03:29:59Z'))).toBe(false);
    expect(isBusinessTime(kolkata, at('2026-01-05T03:30:00Z'))).toBe(true);
    expect(nextBusinessStart(kolkata, at('2026-01-03T00:00:00Z')).toISOString()).toBe('2026-01-05T03:30:00.000Z');
    expect(businessMillisBetween(kolkata, at('2026-01-05T00:00:00Z'), at('2026-01-05T11:30:00Z'))).toBe(8 * HOUR);
    expect(addBusinessMillis(kolkata, at('2026-01-05T11:00:00Z'), HOUR).toISOString()).toBe('2026-01-06T04:00:00.000Z');
  });

  it('Australia/Lord_Howe (30-minute daylight saving: +10:30 / +11:00)', () => {
    const lordHowe = schedule({
      timeZone: 'Australia/Lord_Howe',
      weekly: { sun: [{ start: '01:00', end: '03:00' }], mon: nineToFive, sat: [{ start: '00:00', end: '24:00' }] },
    });
    // Sunday 5 April 2026: 02:00 (+11) falls back to 01:30 (+10:30) -> 01:30-02:00 twice.
    expect(businessMillisBetween(lordHowe, at('2026-04-04T13:00:00Z'), at('2026-04-05T12:00:00Z'))).toBe(2.5 * HOUR);
    // Sunday 4 October 2026: 02:00 (+10:30) jumps to 02:30 (+11) -> 02:00-02:30 missing.
    expect(businessMillisBetween(lordHowe, at('2026-10-03T13:30:00Z'), at('2026-10-04T12:00:00Z'))).toBe(1.5 * HOUR);
    // Monday 6 April 09:00 +10:30 = Sunday 22:30Z; Monday 5 October 09:00 +11 = Sunday 22:00Z.
    expect(nextBusinessStart(lordHowe, at('2026-04-05T12:00:00Z')).toISOString()).toBe('2026-04-05T22:30:00.000Z');
    expect(nextBusinessStart(lordHowe, at('2026-10-04T12:00:00Z')).toISOString()).toBe('2026-10-04T22:00:00.000Z');
    // Saturday hours are a whole local day: 24 hours (no change that day).
    expect(businessMillisBetween(lordHowe, at('2026-04-03T12:00:00Z'), at('2026-04-04T14:00:00Z'))).toBe(24 * HOUR);
  });

  it('a repeated local midnight (America/Santiago, 2026-04-04 24:00 -> 23:00) counts as real time', () => {
    const santiago = schedule({ timeZone: 'America/Santiago', weekly: { sat: [{ start: '22:00', end: '24:00' }] } });
    // 22:00-24:00 on Saturday, then 23:00-24:00 again: three real hours.
    expect(businessMillisBetween(santiago, at('2026-04-04T00:00:00Z'), at('2026-04-06T00:00:00Z'))).toBe(3 * HOUR);
  });
});

describe('edges and guards', () => {
  it('is never negative, half-open, and zero millis returns from itself', () => {
    expect(businessMillisBetween(berlin, at('2026-01-06T12:00:00Z'), at('2026-01-05T12:00:00Z'))).toBe(0);
    expect(businessMillisBetween(berlin, at('2026-01-05T12:00:00Z'), at('2026-01-05T12:00:00Z'))).toBe(0);
    expect(isBusinessTime(berlin, at('2026-01-05T16:00:00Z'))).toBe(false); // 17:00 local: closed
    const saturday = at('2026-01-03T12:00:00Z');
    expect(addBusinessMillis(berlin, saturday, 0).getTime()).toBe(saturday);
    expect(addBusinessMillis(berlin, new Date(saturday), 1).toISOString()).toBe('2026-01-05T08:00:00.001Z');
    expect(nextBusinessStart(berlin, at('2026-01-05T09:00:00Z')).toISOString()).toBe('2026-01-05T09:00:00.000Z');
  });

  it('treats CALENDAR as plain elapsed time', () => {
    const from = at('2026-03-29T00:00:00Z');
    expect(businessMillisBetween(CALENDAR, from, from + 90 * 24 * HOUR)).toBe(90 * 24 * HOUR);
    expect(addBusinessMillis(CALENDAR, from, 7 * 365 * 24 * HOUR).getTime()).toBe(from + 7 * 365 * 24 * HOUR);
    expect(isBusinessTime(CALENDAR, from)).toBe(true);
    const newYorkRoundTheClock = schedule({
      timeZone: 'America/New_York',
      weekly: Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => [d, [{ start: '00:00', end: '24:00' }]])),
      holidays: [{ date: '1990-01-01' }], // keeps it off the calendar shortcut
    });
    expect(businessMillisBetween(newYorkRoundTheClock, at('2026-03-01T00:00:00Z'), at('2026-11-30T00:00:00Z'))).toBe(
      at('2026-11-30T00:00:00Z') - at('2026-03-01T00:00:00Z'),
    );
  });

  it('sums running intervals once: overlaps merge, inverted intervals count nothing', () => {
    const monday = (time: string) => at(`2026-01-05T${time}:00Z`);
    expect(
      elapsedWithPauses(berlin, [
        { from: monday('08:00'), to: monday('09:00') },
        { from: new Date(monday('08:30')), to: new Date(monday('10:00')) },
        { from: monday('12:00'), to: monday('11:00') },
        { from: monday('14:00'), to: monday('20:00') },
      ]),
    ).toBe(4 * HOUR);
    expect(elapsedWithPauses(berlin, [])).toBe(0);
  });

  it('refuses bad input: negative millis, invalid dates, unvalidated schedules', () => {
    expect(() => addBusinessMillis(berlin, 0, -1)).toThrow(RangeError);
    expect(() => addBusinessMillis(berlin, 0, Number.NaN)).toThrow(RangeError);
    expect(() => businessMillisBetween(berlin, new Date('nope'), 0)).toThrow('from must be a valid date or epoch milliseconds');
    expect(() => isBusinessTime(berlin, Number.POSITIVE_INFINITY)).toThrow(RangeError);
    const overlapping = {
      timeZone: 'UTC',
      weekly: { mon: [...nineToFive, ...nineToFive], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
      holidays: [],
    };
    expect(() => isBusinessTime(overlapping, 0)).toThrow(/invalid business-hours schedule: weekly.mon\[1\]: 09:00-17:00 overlaps/);
    expect(() => businessMillisBetween(berlin, 0, 101 * 366 * 24 * HOUR)).toThrow(BusinessTimeError);
  });

  it('stops searching after five years instead of looping forever', () => {
    // Hours on Mondays only, every calendar date a recurring holiday: never any business time.
    const everyDate = Array.from({ length: 12 }, (_, m) =>
      Array.from({ length: [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m]! }, (_, d) => ({ month: m + 1, day: d + 1 })),
    ).flat();
    const never = schedule({ timeZone: 'Europe/Berlin', weekly: { mon: nineToFive }, holidays: everyDate });
    const started = performance.now();
    expect(() => addBusinessMillis(never, at('2026-01-01T00:00:00Z'), MINUTE)).toThrow(
      expect.objectContaining({ name: 'BusinessTimeError', code: 'sla.no_business_hours' }),
    );
    expect(() => nextBusinessStart(never, at('2026-01-01T00:00:00Z'))).toThrow(BusinessTimeError);
    expect(performance.now() - started).toBeLessThan(2000);
    // Enough hours exist, but not within the limit.
    expect(() => addBusinessMillis(berlin, at('2026-01-01T00:00:00Z'), 2200 * 5 * HOUR)).toThrow(
      expect.objectContaining({ code: 'sla.beyond_search_limit' }),
    );
    expect(SEARCH_LIMIT_DAYS).toBe(1830);
  });

  it('adds a year of business hours quickly (day by day, cached offsets)', () => {
    const from = at('2026-01-01T00:00:00Z');
    const yearOfHours = 250 * 8 * HOUR;
    const due = addBusinessMillis(berlin, from, yearOfHours);
    expect(businessMillisBetween(berlin, from, due)).toBe(yearOfHours);
    const runs = 200;
    const started = performance.now();
    for (let i = 0; i < runs; i++) addBusinessMillis(berlin, from + i * MINUTE, yearOfHours);
    const perCall = (performance.now() - started) / runs;
    expect(perCall).toBeLessThan(1);
  });
});
