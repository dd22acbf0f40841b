import { Type } from 'typebox';
import type { AppContext } from '../../context.js';
import { agentOf } from '../../http/authenticate.js';
import { idempotencyRequestOf } from '../../http/idempotency-guard.js';
import { Closed, IdempotencyHeaders, Page, Uuid } from '../../http/schemas.js';
import type { ApiApp } from '../../http/server.js';
import { listCaseRuns } from './run-log-store.js';
import {
  AutomationRunViewSchema,
  CreateTriggerBody,
  ReorderTriggersBody,
  TriggerViewSchema,
  UpdateTriggerBody,
  WebhookDeliveryViewSchema,
} from './trigger-schemas.js';
import {
  createTrigger,
  deleteTrigger,
  getTrigger,
  listTriggerDeliveries,
  listTriggers,
  reorderTriggers,
  updateTrigger,
} from './triggers.js';

/** Triggers: admins manage, agents read; run in position order. Plus a case's automation run log. */

const tags = ['automation'];
const IdParams = Closed({ id: Uuid });
const NoContent = Type.Null({ description: 'No content' });
const ListQuery = Closed({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 100 })),
  cursor: Type.Optional(Type.String({ maxLength: 512, description: 'Opaque cursor from next_cursor' })),
});
const RunsQuery = Closed({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })),
  cursor: Type.Optional(Type.String({ maxLength: 512, description: 'Opaque cursor from next_cursor' })),
});

export function triggerRoutes(app: ApiApp, ctx: AppContext): void {
  app.get(
    '/triggers',
    { schema: { tags, summary: 'Triggers in the order they run', querystring: ListQuery, response: { 200: Page(TriggerViewSchema) } } },
    async (request) => listTriggers(ctx.db, agentOf(request), request.query),
  );

  app.get(
    '/triggers/:id',
    { schema: { tags, summary: 'One trigger', params: IdParams, response: { 200: TriggerViewSchema } } },
    async (request) => getTrigger(ctx.db, agentOf(request), request.params.id),
  );

  app.post(
    '/triggers',
    {
      schema: {
        tags,
        summary: 'Create a trigger (admin), run after the existing ones; a webhook secret is shown once',
        headers: IdempotencyHeaders,
        body: CreateTriggerBody,
        response: { 201: TriggerViewSchema },
      },
    },
    async (request, reply) => {
      const result = await createTrigger(ctx.db, ctx.secret, agentOf(request), request.body, idempotencyRequestOf(request));
      return reply.code(201).send(result.body);
    },
  );

  app.patch(
    '/triggers/:id',
    {
      schema: {
        tags,
        summary: 'Change a trigger (admin) at the version read (409 automation.stale_version otherwise)',
        params: IdParams,
        body: UpdateTriggerBody,
        response: { 200: TriggerViewSchema },
      },
    },
    async (request) => updateTrigger(ctx.db, ctx.secret, agentOf(request), request.params.id, request.body),
  );

  app.delete(
    '/triggers/:id',
    { schema: { tags, summary: 'Delete a trigger (admin)', params: IdParams, response: { 204: NoContent } } },
    async (request, reply) => {
      await deleteTrigger(ctx.db, agentOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.put(
    '/triggers/order',
    {
      schema: {
        tags,
        summary: 'Set the order triggers run in (admin): every trigger id once, first run first',
        body: ReorderTriggersBody,
        response: { 200: Page(TriggerViewSchema) },
      },
    },
    async (request) => reorderTriggers(ctx.db, agentOf(request), request.body.trigger_ids),
  );

  app.get(
    '/triggers/:id/deliveries',
    {
      schema: {
        tags,
        summary: "A trigger's webhook delivery attempts, newest first",
        params: IdParams,
        querystring: RunsQuery,
        response: { 200: Page(WebhookDeliveryViewSchema) },
      },
    },
    async (request) => listTriggerDeliveries(ctx.db, agentOf(request), request.params.id, request.query),
  );

  app.get(
    '/cases/:caseId/automation-runs',
    {
      schema: {
        tags,
        summary: 'What triggers and scheduled automations did on a case, newest first',
        params: Closed({ caseId: Type.String({ minLength: 1, maxLength: 64, description: 'Case id or number' }) }),
        querystring: RunsQuery,
        response: { 200: Page(AutomationRunViewSchema) },
      },
    },
    async (request) => listCaseRuns(ctx.db, agentOf(request), request.params.caseId, request.query),
  );
}
