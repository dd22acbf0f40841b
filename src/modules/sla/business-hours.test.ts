import { describe, expect, it } from 'vitest';
import { CALENDAR, canonicalTimeZone, parseClock, validateSchedule, type BusinessSchedule } from './business-hours.js';
import { isHoliday } from './holidays.js';

const weekdays = { mon: [{ start: '09:00', end: '17:00' }] };

function errorsOf(input: unknown) {
  const result = validateSchedule(input);
  if (result.ok) throw new Error('expected the schedule to be refused');
  return result.errors;
}

function scheduleOf(input: unknown): BusinessSchedule {
  const result = validateSchedule(input);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.schedule;
}

describe('validateSchedule', () => {
  it('accepts numeric and named days, sorts ranges, fills every day and canonicalizes the zone', () => {
    const schedule = scheduleOf({
      timeZone: 'europe/berlin',
      weekly: {
        1: [
          { start: '13:00', end: '17:00' },
          { start: '09:00', end: '12:00' },
        ],
        tue: [{ start: '22:00', end: '24:00' }],
        '3': [{ start: '00:00', end: '06:00' }],
      },
      holidays: [
        { date: '2026-12-24', name: 'Christmas Eve' },
        { month: 12, day: 25 },
        { month: 2, day: 29 },
      ],
    });
    expect(schedule).toEqual({
      timeZone: 'Europe/Berlin',
      weekly: {
        sun: [],
        mon: [
          { start: '09:00', end: '12:00' },
          { start: '13:00', end: '17:00' },
        ],
        tue: [{ start: '22:00', end: '24:00' }],
        wed: [{ start: '00:00', end: '06:00' }],
        thu: [],
        fri: [],
        sat: [],
      },
      holidays: [
        { date: '2026-12-24', name: 'Christmas Eve' },
        { month: 12, day: 25 },
        { month: 2, day: 29 },
      ],
    });
  });

  it('allows touching ranges (12:00-13:00 after 09:00-12:00) and holidays left out', () => {
    const schedule = scheduleOf({
      timeZone: 'UTC',
      weekly: {
        fri: [
          { start: '09:00', end: '12:00' },
          { start: '12:00', end: '13:00' },
        ],
      },
    });
    expect(schedule.holidays).toEqual([]);
  });

  it('refuses an unknown time zone, an offset and a missing zone', () => {
    expect(errorsOf({ timeZone: 'Mars/Olympus_Mons', weekly: weekdays })).toEqual([
      { field: 'timeZone', message: 'unknown time zone "Mars/Olympus_Mons": use an IANA name such as Europe/Berlin' },
    ]);
    expect(errorsOf({ timeZone: '+05:30', weekly: weekdays })[0]!.field).toBe('timeZone');
    expect(errorsOf({ weekly: weekdays })).toEqual([
      { field: 'timeZone', message: 'timeZone must be an IANA time zone name such as Europe/Berlin' },
    ]);
  });

  it('refuses inverted, empty and malformed ranges with precise messages', () => {
    const errors = errorsOf({
      timeZone: 'UTC',
      weekly: {
        mon: [{ start: '22:00', end: '06:00' }],
        tue: [{ start: '09:00', end: '09:00' }],
        wed: [{ start: '9:00', end: '17:00' }],
        thu: [{ start: '24:00', end: '24:00' }],
        fri: [{ start: '08:00', end: '23:60' }],
        sat: [{ start: '08:00', end: '12:00', note: 'x' }],
        sun: [{ start: '08:00' }],
      },
    });
    expect(errors).toEqual([
      {
        field: 'weekly.mon[0]',
        message:
          "22:00-06:00 is inverted: end must be after start on the same day (split a night shift into two days' ranges, ending at 24:00 and starting at 00:00)",
      },
      {
        field: 'weekly.tue[0]',
        message:
          "09:00-09:00 is empty: end must be after start on the same day (split a night shift into two days' ranges, ending at 24:00 and starting at 00:00)",
      },
      { field: 'weekly.wed[0].start', message: 'start must be a time HH:MM from 00:00 to 23:59' },
      { field: 'weekly.thu[0].start', message: 'start must be a time HH:MM from 00:00 to 23:59' },
      { field: 'weekly.fri[0].end', message: 'end must be a time HH:MM from 00:01 to 24:00' },
      { field: 'weekly.sat[0].note', message: 'unknown field' },
      { field: 'weekly.sun[0].end', message: 'end must be a time HH:MM from 00:01 to 24:00' },
    ]);
  });

  it('refuses overlapping ranges, naming both', () => {
    expect(
      errorsOf({
        timeZone: 'UTC',
        weekly: {
          mon: [
            { start: '13:00', end: '17:00' },
            { start: '09:00', end: '13:30' },
          ],
          tue: [
            { start: '09:00', end: '17:00' },
            { start: '10:00', end: '11:00' },
          ],
        },
      }),
    ).toEqual([
      { field: 'weekly.mon[1]', message: '09:00-13:30 overlaps 13:00-17:00 (weekly.mon[0])' },
      { field: 'weekly.tue[1]', message: '10:00-11:00 overlaps 09:00-17:00 (weekly.tue[0])' },
    ]);
  });

  it('refuses unknown days, a day given twice, non-list days, too many ranges and no hours at all', () => {
    expect(errorsOf({ timeZone: 'UTC', weekly: { monday: [], 7: [] } })).toEqual([
      { field: 'weekly.7', message: 'unknown day: use 0-6 (Sunday = 0) or sun, mon, tue, wed, thu, fri, sat' },
      { field: 'weekly.monday', message: 'unknown day: use 0-6 (Sunday = 0) or sun, mon, tue, wed, thu, fri, sat' },
    ]);
    expect(errorsOf({ timeZone: 'UTC', weekly: { 1: [{ start: '09:00', end: '10:00' }], mon: [] } })).toEqual([
      { field: 'weekly.mon', message: 'mon is also given as weekly.1' },
    ]);
    expect(errorsOf({ timeZone: 'UTC', weekly: { mon: { start: '09:00', end: '10:00' } } })).toEqual([
      { field: 'weekly.mon', message: 'a day must be a list of ranges {start, end} (empty for closed)' },
    ]);
    const many = Array.from({ length: 25 }, (_, i) => ({
      start: `${String(i).padStart(2, '0')}:00`,
      end: `${String(i).padStart(2, '0')}:30`,
    }));
    expect(errorsOf({ timeZone: 'UTC', weekly: { mon: many } })).toEqual([{ field: 'weekly.mon', message: 'at most 24 ranges per day' }]);
    expect(errorsOf({ timeZone: 'UTC', weekly: { mon: [], sun: [] } })).toEqual([
      { field: 'weekly', message: 'no business hours on any day (use CALENDAR for 24x7)' },
    ]);
    expect(errorsOf({ timeZone: 'UTC', weekly: [] })[0]!.field).toBe('weekly');
  });

  it('refuses bad holidays: impossible dates, bad recurring days, mixed forms, unknown fields', () => {
    const errors = errorsOf({
      timeZone: 'UTC',
      weekly: weekdays,
      holidays: [
        { date: '2026-02-30' },
        { date: '2026-2-3' },
        { month: 13, day: 1 },
        { month: 4, day: 31 },
        { month: 2, day: 30 },
        { date: '2026-12-25', month: 12 },
        { month: 5, day: 1.5 },
        { name: 'nothing else' },
        'xmas',
        { date: '2026-05-01', name: 'x'.repeat(101) },
        { date: '2026-05-01', when: 'always' },
      ],
    });
    expect(errors).toEqual([
      { field: 'holidays[0].date', message: '2026-02-30 is not a calendar date' },
      { field: 'holidays[1].date', message: 'date must be a string YYYY-MM-DD' },
      { field: 'holidays[2].month', message: 'month must be an integer from 1 to 12' },
      { field: 'holidays[3].day', message: 'day must be from 1 to 30 for month 4' },
      { field: 'holidays[4].day', message: 'day must be from 1 to 29 for month 2' },
      { field: 'holidays[5].month', message: 'give either date or month and day, not both' },
      { field: 'holidays[6].day', message: 'day must be an integer from 1 to 31' },
      { field: 'holidays[7]', message: 'a holiday needs date (YYYY-MM-DD) or month and day (recurring every year)' },
      { field: 'holidays[8]', message: 'a holiday must be an object: {date: "YYYY-MM-DD"} or {month, day}' },
      { field: 'holidays[9].name', message: 'name must be at most 100 characters' },
      { field: 'holidays[10].when', message: 'unknown field' },
    ]);
    expect(errorsOf({ timeZone: 'UTC', weekly: weekdays, holidays: { date: '2026-01-01' } })).toEqual([
      { field: 'holidays', message: 'holidays must be a list' },
    ]);
    expect(errorsOf({ timeZone: 'UTC', weekly: weekdays, holidays: Array.from({ length: 501 }, () => ({ month: 1, day: 1 })) })).toEqual([
      { field: 'holidays', message: 'at most 500 holidays' },
    ]);
  });

  it('refuses a non-object and unknown top-level fields', () => {
    expect(errorsOf(null)).toEqual([{ field: '', message: 'a schedule must be an object {timeZone, weekly, holidays}' }]);
    expect(errorsOf({ timeZone: 'UTC', weekly: weekdays, hours: 8 })).toEqual([{ field: 'hours', message: 'unknown field' }]);
  });

  it('keeps CALENDAR valid and round the clock', () => {
    expect(validateSchedule(CALENDAR)).toEqual({ ok: true, schedule: CALENDAR });
    expect(CALENDAR.weekly.wed).toEqual([{ start: '00:00', end: '24:00' }]);
  });
});

describe('clock and zone helpers', () => {
  it('parses HH:MM, 24:00 only as an end', () => {
    expect(parseClock('00:00')).toBe(0);
    expect(parseClock('23:59')).toBe(1439);
    expect(parseClock('24:00')).toBeNull();
    expect(parseClock('24:00', true)).toBe(1440);
    expect(parseClock('24:01', true)).toBeNull();
    expect(parseClock('7:30')).toBeNull();
  });

  it('canonicalizes zone names and refuses unknown ones', () => {
    expect(canonicalTimeZone('america/new_york')).toBe('America/New_York');
    expect(canonicalTimeZone('Asia/Kolkata')).not.toBeNull();
    expect(canonicalTimeZone('Europe/Atlantis')).toBeNull();
    expect(canonicalTimeZone('')).toBeNull();
  });

  it('matches dated holidays that year only and recurring ones every year, 29 February in leap years', () => {
    const holidays = [{ date: '2026-12-24' }, { month: 12, day: 25 }, { month: 2, day: 29 }];
    expect(isHoliday(holidays, '2026-12-24')).toBe(true);
    expect(isHoliday(holidays, '2027-12-24')).toBe(false);
    expect(isHoliday(holidays, '1999-12-25')).toBe(true);
    expect(isHoliday(holidays, '2031-12-25')).toBe(true);
    expect(isHoliday(holidays, '2028-02-29')).toBe(true);
    expect(isHoliday(holidays, '2027-03-01')).toBe(false);
    expect(isHoliday(holidays, '2026-12-26')).toBe(false);
  });
});
