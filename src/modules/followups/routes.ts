import { Type } from 'typebox';
import type { AppContext } from '../../context.js';
import { agentOf } from '../../http/authenticate.js';
import { idempotencyGuard } from '../../http/idempotency-guard.js';
import { Closed, IdempotencyHeaders, Page, Uuid } from '../../http/schemas.js';
import type { ApiApp } from '../../http/server.js';
import { withIdempotency } from '../../platform/idempotency.js';
import { getCaseFollowups, listSnoozedCases } from './queries.js';
import { completeReminder, createReminder, deleteReminder, listMyReminders } from './reminders.js';
import { deletePolicyFollowupSettings, listFollowupSettings, putDefaultFollowupSettings, putPolicyFollowupSettings } from './settings.js';
import { snoozeCase, unsnoozeCase } from './snooze.js';
import {
  CaseFollowupsSchema,
  ReminderViewSchema,
  SettingsListSchema,
  SettingsViewSchema,
  SnoozedCaseSchema,
  SnoozeViewSchema,
} from './views.js';

/** Follow-ups: snoozing cases, agents' reminders, the follow-up settings (admin). */

const tags = ['followups'];
const NoContent = Type.Null({ description: 'No content' });
const CaseParams = Closed({ caseId: Uuid });
const IdParams = Closed({ id: Uuid });
const PolicyParams = Closed({ policyId: Uuid });
const When = Type.String({ format: 'date-time', maxLength: 64 });
const Note = Type.String({ maxLength: 1000 });
const Limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 }));
const Cursor = Type.Optional(Type.String({ maxLength: 512, description: 'Opaque cursor from next_cursor' }));
const Days = Type.Union([Type.Integer({ minimum: 1, maximum: 365 }), Type.Null()], { description: 'Calendar days; null: off' });
const Body = Type.Optional(Type.Union([Type.String({ maxLength: 5000 }), Type.Null()], { description: 'null: built-in text' }));
const SettingsBody = Closed({
  pending_reminder_after_days: Days,
  pending_solve_after_days: Days,
  checkin_after_days: Days,
  reminder_body: Body,
  checkin_body: Body,
});

export function followupRoutes(app: ApiApp, ctx: AppContext): void {
  app.post(
    '/cases/:caseId/snooze',
    {
      schema: {
        tags,
        summary: 'Snooze a case until a time (on hold until then; a customer message ends it early)',
        params: CaseParams,
        body: Closed({ until: When, note: Type.Optional(Note) }),
        response: { 200: SnoozeViewSchema },
      },
    },
    async (request) =>
      snoozeCase(ctx.db, agentOf(request), request.params.caseId, { until: new Date(request.body.until), note: request.body.note }),
  );

  app.delete(
    '/cases/:caseId/snooze',
    { schema: { tags, summary: 'End a snooze now: the case opens again', params: CaseParams, response: { 204: NoContent } } },
    async (request, reply) => {
      await unsnoozeCase(ctx.db, agentOf(request), request.params.caseId);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/cases/:caseId/followups',
    {
      schema: {
        tags,
        summary: "A case's snooze, pending-reminder and check-in plan, and the caller's reminders on it",
        params: CaseParams,
        response: { 200: CaseFollowupsSchema },
      },
    },
    async (request) => getCaseFollowups(ctx.db, agentOf(request), request.params.caseId),
  );

  app.get(
    '/followups/snoozed',
    {
      schema: {
        tags,
        summary: "Snoozed cases: the caller's own (assigned or snoozed by them) or their teams', next to wake first",
        querystring: Closed({ scope: Type.Optional(Type.Enum(['mine', 'team'], { default: 'mine' })), limit: Limit, cursor: Cursor }),
        response: { 200: Page(SnoozedCaseSchema) },
      },
    },
    async (request) =>
      listSnoozedCases(ctx.db, agentOf(request), {
        scope: request.query.scope ?? 'mine',
        limit: request.query.limit ?? 25,
        cursor: request.query.cursor,
      }),
  );

  app.post(
    '/cases/:caseId/reminders',
    {
      schema: {
        tags,
        summary: 'Remind me (or, for supervisors and admins, another agent) about a case at a time',
        params: CaseParams,
        headers: IdempotencyHeaders,
        body: Closed({ remind_at: When, note: Type.Optional(Note), agent_id: Type.Optional(Uuid) }),
        response: { 201: ReminderViewSchema },
      },
    },
    async (request, reply) => {
      const actor = agentOf(request);
      const result = await withIdempotency(ctx.db, idempotencyGuard(request, actor), async (tx) => ({
        statusCode: 201,
        body: await createReminder(tx, actor, request.params.caseId, {
          remindAt: new Date(request.body.remind_at),
          note: request.body.note,
          agentId: request.body.agent_id,
        }),
      }));
      return reply.code(201).send(result.body);
    },
  );

  app.get(
    '/reminders',
    {
      schema: {
        tags,
        summary: "The caller's reminders: due (act now), upcoming, or done",
        querystring: Closed({
          status: Type.Optional(Type.Enum(['due', 'upcoming', 'done'], { default: 'due' })),
          limit: Limit,
          cursor: Cursor,
        }),
        response: { 200: Page(ReminderViewSchema) },
      },
    },
    async (request) =>
      listMyReminders(ctx.db, agentOf(request), {
        status: request.query.status ?? 'due',
        limit: request.query.limit ?? 25,
        cursor: request.query.cursor,
      }),
  );

  app.post(
    '/reminders/:id/done',
    { schema: { tags, summary: 'Mark a reminder done', params: IdParams, response: { 200: ReminderViewSchema } } },
    async (request) => completeReminder(ctx.db, agentOf(request), request.params.id),
  );

  app.delete(
    '/reminders/:id',
    { schema: { tags, summary: 'Delete a reminder', params: IdParams, response: { 204: NoContent } } },
    async (request, reply) => {
      await deleteReminder(ctx.db, agentOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/followup-settings',
    {
      schema: {
        tags,
        summary: 'Follow-up settings: the workspace default and the per-SLA-policy overrides',
        response: { 200: SettingsListSchema },
      },
    },
    async (request) => listFollowupSettings(ctx.db, agentOf(request)),
  );

  app.put(
    '/followup-settings/default',
    {
      schema: {
        tags,
        summary: 'Set the workspace default follow-up settings (admin)',
        body: SettingsBody,
        response: { 200: SettingsViewSchema },
      },
    },
    async (request) => putDefaultFollowupSettings(ctx.db, agentOf(request), request.body),
  );

  app.put(
    '/followup-settings/policies/:policyId',
    {
      schema: {
        tags,
        summary: "Set an SLA policy's follow-up settings, replacing the default for its cases (admin)",
        params: PolicyParams,
        body: SettingsBody,
        response: { 200: SettingsViewSchema },
      },
    },
    async (request) => putPolicyFollowupSettings(ctx.db, agentOf(request), request.params.policyId, request.body),
  );

  app.delete(
    '/followup-settings/policies/:policyId',
    {
      schema: {
        tags,
        summary: "Remove an SLA policy's follow-up settings: its cases use the default (admin)",
        params: PolicyParams,
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      await deletePolicyFollowupSettings(ctx.db, agentOf(request), request.params.policyId);
      return reply.code(204).send(null);
    },
  );
}
