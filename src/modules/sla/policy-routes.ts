import { Type } from 'typebox';
import type { AppContext } from '../../context.js';
import { agentOf } from '../../http/authenticate.js';
import { idempotencyRequestOf } from '../../http/idempotency-guard.js';
import { Closed, IdempotencyHeaders, Page, Uuid } from '../../http/schemas.js';
import type { ApiApp } from '../../http/server.js';
import { createPolicy, deletePolicy, getPolicy, listPolicies, reorderPolicies, updatePolicy } from './policies.js';
import { CreatePolicyBody, PolicyViewSchema, ReorderBody, UpdatePolicyBody } from './policy-schemas.js';

/** SLA policies: admins manage, agents read; tried in position order. */

const tags = ['sla'];
const IdParams = Closed({ id: Uuid });
const NoContent = Type.Null({ description: 'No content' });
const ListQuery = Closed({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 100 })),
  cursor: Type.Optional(Type.String({ maxLength: 512, description: 'Opaque cursor from next_cursor' })),
});

export function policyRoutes(app: ApiApp, ctx: AppContext): void {
  app.get(
    '/sla-policies',
    {
      schema: {
        tags,
        summary: 'SLA policies in the order they are tried',
        querystring: ListQuery,
        response: { 200: Page(PolicyViewSchema) },
      },
    },
    async (request) => listPolicies(ctx.db, agentOf(request), request.query),
  );

  app.get(
    '/sla-policies/:id',
    { schema: { tags, summary: 'One SLA policy', params: IdParams, response: { 200: PolicyViewSchema } } },
    async (request) => getPolicy(ctx.db, agentOf(request), request.params.id),
  );

  app.post(
    '/sla-policies',
    {
      schema: {
        tags,
        summary: 'Create an SLA policy (admin), tried after the existing ones',
        headers: IdempotencyHeaders,
        body: CreatePolicyBody,
        response: { 201: PolicyViewSchema },
      },
    },
    async (request, reply) => {
      const result = await createPolicy(ctx.db, agentOf(request), request.body, idempotencyRequestOf(request));
      return reply.code(201).send(result.body);
    },
  );

  app.patch(
    '/sla-policies/:id',
    {
      schema: {
        tags,
        summary: 'Change an SLA policy (admin); running cases take it on at their next change',
        params: IdParams,
        body: UpdatePolicyBody,
        response: { 200: PolicyViewSchema },
      },
    },
    async (request) => updatePolicy(ctx.db, agentOf(request), request.params.id, request.body),
  );

  app.delete(
    '/sla-policies/:id',
    { schema: { tags, summary: 'Delete an SLA policy (admin)', params: IdParams, response: { 204: NoContent } } },
    async (request, reply) => {
      await deletePolicy(ctx.db, agentOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.put(
    '/sla-policies/order',
    {
      schema: {
        tags,
        summary: 'Set the order SLA policies are tried in (admin): every policy id once, first tried first',
        body: ReorderBody,
        response: { 200: Page(PolicyViewSchema) },
      },
    },
    async (request) => reorderPolicies(ctx.db, agentOf(request), request.body.policy_ids),
  );
}
