/**
 * Snooze presets in the agent's local time: tomorrow 9:00, the coming Friday 9:00 (today's if it
 * is Friday before 9:00), next week (the coming Monday 9:00). Dates for <input type=datetime-local>.
 */
export type SnoozePreset = 'tomorrow' | 'friday' | 'nextWeek';
export const SNOOZE_PRESETS: SnoozePreset[] = ['tomorrow', 'friday', 'nextWeek'];

const atNine = (date: Date): Date => {
  const d = new Date(date);
  d.setHours(9, 0, 0, 0);
  return d;
};

function nextWeekday(now: Date, weekday: number, allowToday: boolean): Date {
  const d = atNine(now);
  let ahead = (weekday - now.getDay() + 7) % 7;
  if (ahead === 0 && !(allowToday && d.getTime() > now.getTime())) ahead = 7;
  d.setDate(d.getDate() + ahead);
  return d;
}

export function presetTime(preset: SnoozePreset, now: Date = new Date()): Date {
  switch (preset) {
    case 'tomorrow': {
      const d = atNine(now);
      d.setDate(d.getDate() + 1);
      return d;
    }
    case 'friday':
      return nextWeekday(now, 5, true);
    case 'nextWeek':
      return nextWeekday(now, 1, false);
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A Date as the value of a datetime-local input (local time, minutes). */
export function toLocalInput(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A datetime-local value as an ISO instant, or null when empty or not a date. */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
