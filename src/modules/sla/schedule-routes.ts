import { Type } from 'typebox';
import type { AppContext } from '../../context.js';
import { agentOf } from '../../http/authenticate.js';
import { idempotencyRequestOf } from '../../http/idempotency-guard.js';
import { Closed, IdempotencyHeaders, Page, Uuid } from '../../http/schemas.js';
import type { ApiApp } from '../../http/server.js';
import { MAX_HOLIDAYS, MAX_HOLIDAY_NAME_LENGTH } from './holidays.js';
import { MAX_RANGES_PER_DAY, MAX_TIME_ZONE_LENGTH, WEEKDAY_NAMES } from './business-hours.js';
import { ScheduleViewSchema, TeamScheduleViewSchema } from './schedule-views.js';
import {
  createSchedule,
  deleteSchedule,
  getSchedule,
  getTeamSchedule,
  listSchedules,
  setTeamSchedule,
  updateSchedule,
} from './schedules.js';

/**
 * Business hours: schedules (admins manage, agents read) and a team's schedule. The schema
 * checks shapes; business-hours.ts checks the meaning (real time zone, ranges in order and not
 * overlapping, real holiday dates) and answers 400 sla.invalid_business_hours naming each field.
 */

const tags = ['sla'];
const Clock = Type.String({ minLength: 1, maxLength: 5, description: 'HH:MM (end may be 24:00)' });
const Range = Closed({ start: Clock, end: Clock });
const Weekly = Closed(
  Object.fromEntries(WEEKDAY_NAMES.map((day) => [day, Type.Optional(Type.Array(Range, { maxItems: MAX_RANGES_PER_DAY }))])) as Record<
    (typeof WEEKDAY_NAMES)[number],
    ReturnType<typeof Type.Optional<ReturnType<typeof Type.Array<typeof Range>>>>
  >,
  { description: 'Local opening hours per weekday (sun-sat); a day left out or empty is closed' },
);
const Holiday = Closed(
  {
    date: Type.Optional(Type.String({ maxLength: 10, description: 'YYYY-MM-DD: that day only' })),
    month: Type.Optional(Type.Integer({ description: 'With day: the same date every year' })),
    day: Type.Optional(Type.Integer()),
    name: Type.Optional(Type.String({ maxLength: MAX_HOLIDAY_NAME_LENGTH })),
  },
  { description: '{date} or {month, day}: the whole local day has no business hours' },
);
const Holidays = Type.Array(Holiday, { maxItems: MAX_HOLIDAYS });
const Name = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
const TimeZone = Type.String({ minLength: 1, maxLength: MAX_TIME_ZONE_LENGTH, description: 'IANA time zone, e.g. Europe/Berlin' });
const IdParams = Closed({ id: Uuid });
const NoContent = Type.Null({ description: 'No content' });
const ListQuery = Closed({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 100 })),
  cursor: Type.Optional(Type.String({ maxLength: 512, description: 'Opaque cursor from next_cursor' })),
});

export function scheduleRoutes(app: ApiApp, ctx: AppContext): void {
  app.get(
    '/business-hours',
    { schema: { tags, summary: 'Business-hours schedules', querystring: ListQuery, response: { 200: Page(ScheduleViewSchema) } } },
    async (request) => listSchedules(ctx.db, agentOf(request), request.query),
  );

  app.get(
    '/business-hours/:id',
    { schema: { tags, summary: 'One business-hours schedule', params: IdParams, response: { 200: ScheduleViewSchema } } },
    async (request) => getSchedule(ctx.db, agentOf(request), request.params.id),
  );

  app.post(
    '/business-hours',
    {
      schema: {
        tags,
        summary: 'Create business hours (admin); is_default makes them the workspace default',
        headers: IdempotencyHeaders,
        body: Closed({
          name: Name,
          time_zone: TimeZone,
          weekly: Weekly,
          holidays: Type.Optional(Holidays),
          is_default: Type.Optional(Type.Boolean()),
        }),
        response: { 201: ScheduleViewSchema },
      },
    },
    async (request, reply) => {
      const result = await createSchedule(ctx.db, agentOf(request), request.body, idempotencyRequestOf(request));
      return reply.code(201).send(result.body);
    },
  );

  app.patch(
    '/business-hours/:id',
    {
      schema: {
        tags,
        summary: 'Change business hours (admin); weekly and holidays are replaced as a whole',
        params: IdParams,
        body: Closed(
          {
            name: Type.Optional(Name),
            time_zone: Type.Optional(TimeZone),
            weekly: Type.Optional(Weekly),
            holidays: Type.Optional(Holidays),
            is_default: Type.Optional(Type.Boolean()),
          },
          { minProperties: 1 },
        ),
        response: { 200: ScheduleViewSchema },
      },
    },
    async (request) => updateSchedule(ctx.db, agentOf(request), request.params.id, request.body),
  );

  app.delete(
    '/business-hours/:id',
    {
      schema: {
        tags,
        summary: 'Delete business hours (admin); refused (409) while a team or policy uses them',
        params: IdParams,
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      await deleteSchedule(ctx.db, agentOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/teams/:teamId/business-hours',
    {
      schema: {
        tags,
        summary: "A team's business hours and what its cases' business-time SLA clocks count in",
        params: Closed({ teamId: Uuid }),
        response: { 200: TeamScheduleViewSchema },
      },
    },
    async (request) => getTeamSchedule(ctx.db, agentOf(request), request.params.teamId),
  );

  app.put(
    '/teams/:teamId/business-hours',
    {
      schema: {
        tags,
        summary: "Set a team's business hours (admin); null removes them (the workspace default applies)",
        params: Closed({ teamId: Uuid }),
        body: Closed({ schedule_id: Type.Union([Uuid, Type.Null()]) }),
        response: { 200: TeamScheduleViewSchema },
      },
    },
    async (request) => setTeamSchedule(ctx.db, agentOf(request), request.params.teamId, request.body.schedule_id),
  );
}
