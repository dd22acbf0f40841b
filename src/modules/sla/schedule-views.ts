import { Type, type Static } from 'typebox';
import { WEEKDAY_NAMES, type BusinessSchedule } from './business-hours.js';
import type { ScheduleRow } from './schedule-store.js';

/** Response shapes of business-hours schedules (TypeBox, published in OpenAPI) and row -> view mappers. */

const Id = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });

export const TimeRangeViewSchema = Type.Object({
  start: Type.String({ description: 'Local wall-clock time HH:MM' }),
  end: Type.String({ description: 'Local wall-clock time HH:MM; 24:00 is midnight at the end of the day' }),
});

export const WeeklyViewSchema = Type.Object(
  Object.fromEntries(WEEKDAY_NAMES.map((day) => [day, Type.Array(TimeRangeViewSchema)])) as Record<
    (typeof WEEKDAY_NAMES)[number],
    ReturnType<typeof Type.Array<typeof TimeRangeViewSchema>>
  >,
);

export const HolidayViewSchema = Type.Object({
  date: Type.Optional(Type.String({ description: 'YYYY-MM-DD: that day only' })),
  month: Type.Optional(Type.Integer({ description: 'With day: every year' })),
  day: Type.Optional(Type.Integer()),
  name: Type.Optional(Type.String()),
});

export const ScheduleViewSchema = Type.Object({
  id: Id,
  name: Type.String(),
  time_zone: Type.String({ description: 'IANA time zone, e.g. Europe/Berlin' }),
  weekly: WeeklyViewSchema,
  holidays: Type.Array(HolidayViewSchema),
  is_default: Type.Boolean({ description: 'The workspace default: used for cases whose team has no schedule' }),
  team_ids: Type.Array(Id, { description: 'Teams working to this schedule' }),
  version: Type.Integer(),
  created_at: DateTime,
  updated_at: DateTime,
});
export type ScheduleView = Static<typeof ScheduleViewSchema>;

export const TeamScheduleViewSchema = Type.Object({
  team_id: Id,
  schedule: Type.Union([ScheduleViewSchema, Type.Null()], { description: "The team's own schedule; null when it has none" }),
  effective: Type.Object({
    source: Type.Enum(['team', 'default', 'calendar'], {
      description: "What business-time SLA clocks of this team's cases count in: its schedule, the workspace default, or 24x7",
    }),
    schedule_id: Type.Union([Id, Type.Null()]),
    time_zone: Type.String(),
  }),
});
export type TeamScheduleView = Static<typeof TeamScheduleViewSchema>;

/** The stored schedule in the form the business-time arithmetic takes. */
export function scheduleOfRow(row: Pick<ScheduleRow, 'time_zone' | 'weekly' | 'holidays'>): BusinessSchedule {
  return { timeZone: row.time_zone, weekly: row.weekly, holidays: row.holidays };
}

export function scheduleView(row: ScheduleRow, teamIds: string[]): ScheduleView {
  return {
    id: row.id,
    name: row.name,
    time_zone: row.time_zone,
    weekly: row.weekly,
    holidays: row.holidays,
    is_default: row.is_default,
    team_ids: teamIds,
    version: row.version,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
