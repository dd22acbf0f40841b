/**
 * Holidays of a business-hours schedule: a dated one ("2026-12-24", that year only) or a recurring
 * one ({month: 12, day: 25}, every year). A holiday removes the business hours of that whole local
 * calendar day in the schedule's time zone; a recurring 29 February applies in leap years only.
 */

export interface DatedHoliday {
  date: string; // YYYY-MM-DD
  name?: string;
}

export interface RecurringHoliday {
  month: number; // 1-12
  day: number; // 1-31, valid for the month (29 February allowed)
  name?: string;
}

export type Holiday = DatedHoliday | RecurringHoliday;

export interface FieldError {
  field: string;
  message: string;
}

export const MAX_HOLIDAYS = 500;
export const MAX_HOLIDAY_NAME_LENGTH = 100;

const DAY_MS = 86_400_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
// Longest length of each month over all years, so a recurring 29 February is accepted.
const MAX_DAY_OF_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days since 1970-01-01 of a proleptic Gregorian calendar date (month 1-12). */
export function dayNumberOf(year: number, month: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return Math.round(date.getTime() / DAY_MS);
}

/** The calendar date of a day number (days since 1970-01-01). */
export function dateOfDayNumber(dayNumber: number): { year: number; month: number; day: number } {
  const date = new Date(dayNumber * DAY_MS);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** Parses a real calendar date 'YYYY-MM-DD' (1000-9999) to its day number, or null. */
export function parseIsoDate(value: string): number | null {
  const match = DATE_PATTERN.exec(value);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1000 || month < 1 || month > 12 || day < 1) return null;
  const dayNumber = dayNumberOf(year, month, day);
  const back = dateOfDayNumber(dayNumber);
  return back.month === month && back.day === day ? dayNumber : null;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function validateName(value: unknown, field: string, errors: FieldError[]): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') errors.push({ field, message: 'name must be a string' });
  else if (value.length > MAX_HOLIDAY_NAME_LENGTH)
    errors.push({ field, message: `name must be at most ${MAX_HOLIDAY_NAME_LENGTH} characters` });
  else return value;
  return undefined;
}

function validateHoliday(value: unknown, field: string, errors: FieldError[]): Holiday | null {
  if (!isRecord(value)) {
    errors.push({ field, message: 'a holiday must be an object: {date: "YYYY-MM-DD"} or {month, day}' });
    return null;
  }
  const before = errors.length;
  const isDated = 'date' in value;
  const allowed = isDated ? ['date', 'name'] : ['month', 'day', 'name'];
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      const message = isDated && (key === 'month' || key === 'day') ? 'give either date or month and day, not both' : 'unknown field';
      errors.push({ field: `${field}.${key}`, message });
    }
  }
  const name = validateName(value.name, `${field}.name`, errors);
  if (isDated) {
    const date = value.date;
    if (typeof date !== 'string' || !DATE_PATTERN.test(date)) {
      errors.push({ field: `${field}.date`, message: 'date must be a string YYYY-MM-DD' });
    } else if (parseIsoDate(date) === null) {
      errors.push({ field: `${field}.date`, message: `${date} is not a calendar date` });
    }
    if (errors.length > before) return null;
    return name === undefined ? { date: date as string } : { date: date as string, name };
  }
  const { month, day } = value;
  if (month === undefined && day === undefined) {
    errors.push({ field, message: 'a holiday needs date (YYYY-MM-DD) or month and day (recurring every year)' });
    return null;
  }
  const monthOk = Number.isInteger(month) && (month as number) >= 1 && (month as number) <= 12;
  if (!monthOk) errors.push({ field: `${field}.month`, message: 'month must be an integer from 1 to 12' });
  if (!Number.isInteger(day)) {
    errors.push({ field: `${field}.day`, message: 'day must be an integer from 1 to 31' });
  } else if (monthOk) {
    const maxDay = MAX_DAY_OF_MONTH[(month as number) - 1]!;
    if ((day as number) < 1 || (day as number) > maxDay) {
      errors.push({ field: `${field}.day`, message: `day must be from 1 to ${maxDay} for month ${month as number}` });
    }
  }
  if (errors.length > before) return null;
  const holiday: RecurringHoliday = { month: month as number, day: day as number };
  if (name !== undefined) holiday.name = name;
  return holiday;
}

/** Validates the `holidays` list of a schedule; errors are appended with `field` paths under `holidays`. */
export function validateHolidays(value: unknown, errors: FieldError[]): Holiday[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    errors.push({ field: 'holidays', message: 'holidays must be a list' });
    return [];
  }
  if (value.length > MAX_HOLIDAYS) {
    errors.push({ field: 'holidays', message: `at most ${MAX_HOLIDAYS} holidays` });
    return [];
  }
  const holidays: Holiday[] = [];
  value.forEach((item: unknown, index) => {
    const holiday = validateHoliday(item, `holidays[${index}]`, errors);
    if (holiday) holidays.push(holiday);
  });
  return holidays;
}

export type HolidayMatcher = (dayNumber: number) => boolean;

/** A fast test "is this local calendar day (a day number) a holiday?" for validated holidays. */
export function holidayMatcher(holidays: readonly Holiday[]): HolidayMatcher {
  if (holidays.length === 0) return () => false;
  const dated = new Set<number>();
  const recurring = new Set<number>();
  for (const holiday of holidays) {
    if ('date' in holiday) {
      const dayNumber = parseIsoDate(holiday.date);
      if (dayNumber !== null) dated.add(dayNumber);
    } else {
      recurring.add(holiday.month * 32 + holiday.day);
    }
  }
  return (dayNumber) => {
    if (dated.has(dayNumber)) return true;
    if (recurring.size === 0) return false;
    const { month, day } = dateOfDayNumber(dayNumber);
    return recurring.has(month * 32 + day);
  };
}

/** True when the calendar date 'YYYY-MM-DD' is one of the holidays (dated or recurring). */
export function isHoliday(holidays: readonly Holiday[], date: string): boolean {
  const dayNumber = parseIsoDate(date);
  return dayNumber !== null && holidayMatcher(holidays)(dayNumber);
}
