import { Type } from 'typebox';
import type { AppContext } from '../../../context.js';
import { agentOf } from '../../../http/authenticate.js';
import { idempotencyRequestOf } from '../../../http/idempotency-guard.js';
import { Closed, IdempotencyHeaders, Page, Uuid } from '../../../http/schemas.js';
import type { ApiApp } from '../../../http/server.js';
import { previewScheduled, runScheduledNow } from './preview.js';
import {
  CreateScheduledBody,
  PreviewSchema,
  ReorderScheduledBody,
  RunCountsSchema,
  ScheduledViewSchema,
  UpdateScheduledBody,
} from './rule-schemas.js';
import { createScheduled, deleteScheduled, getScheduled, listScheduled, reorderScheduled, updateScheduled } from './rules.js';

/** Scheduled automations: admins manage and run, agents read. */

const tags = ['automations'];
const IdParams = Closed({ id: Uuid });
const NoContent = Type.Null({ description: 'No content' });
const ListQuery = Closed({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 100 })),
  cursor: Type.Optional(Type.String({ maxLength: 512, description: 'Opaque cursor from next_cursor' })),
});

export function scheduledAutomationRoutes(app: ApiApp, ctx: AppContext): void {
  app.get(
    '/automations',
    {
      schema: {
        tags,
        summary: 'Scheduled automations in run order',
        querystring: ListQuery,
        response: { 200: Page(ScheduledViewSchema) },
      },
    },
    async (request) => listScheduled(ctx.db, agentOf(request), request.query),
  );

  app.post(
    '/automations',
    {
      schema: {
        tags,
        summary: 'Create a scheduled automation (admin), run after the existing ones',
        description: 'Conditions must include a time condition (hours_since_*) among "all".',
        headers: IdempotencyHeaders,
        body: CreateScheduledBody,
        response: { 201: ScheduledViewSchema },
      },
    },
    async (request, reply) => {
      const result = await createScheduled(ctx, agentOf(request), request.body, idempotencyRequestOf(request));
      return reply.code(201).send(result.body);
    },
  );

  app.put(
    '/automations/order',
    {
      schema: {
        tags,
        summary: 'Set the run order (admin): every scheduled automation id once, first run first',
        body: ReorderScheduledBody,
        response: { 200: Page(ScheduledViewSchema) },
      },
    },
    async (request) => reorderScheduled(ctx.db, agentOf(request), request.body.automation_ids),
  );

  app.get(
    '/automations/:id',
    { schema: { tags, summary: 'One scheduled automation', params: IdParams, response: { 200: ScheduledViewSchema } } },
    async (request) => getScheduled(ctx.db, agentOf(request), request.params.id),
  );

  app.patch(
    '/automations/:id',
    {
      schema: {
        tags,
        summary: 'Change a scheduled automation (admin); `version` must be the one read (409 otherwise)',
        params: IdParams,
        body: UpdateScheduledBody,
        response: { 200: ScheduledViewSchema },
      },
    },
    async (request) => updateScheduled(ctx, agentOf(request), request.params.id, request.body),
  );

  app.delete(
    '/automations/:id',
    { schema: { tags, summary: 'Delete a scheduled automation (admin)', params: IdParams, response: { 204: NoContent } } },
    async (request, reply) => {
      await deleteScheduled(ctx.db, agentOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/automations/:id/preview',
    {
      schema: {
        tags,
        summary: 'Cases the automation matches now (first 50); changes nothing',
        params: IdParams,
        response: { 200: PreviewSchema },
      },
    },
    async (request) => previewScheduled(ctx.db, agentOf(request), request.params.id),
  );

  app.post(
    '/automations/:id/run',
    {
      schema: {
        tags,
        summary: 'Run the automation now (admin), even when disabled; same once-per-case rule and bounds as the schedule',
        params: IdParams,
        response: { 200: RunCountsSchema },
      },
    },
    async (request) => runScheduledNow(ctx, agentOf(request), request.params.id),
  );
}
