import type { AppContext } from '../../context.js';
import { agentOf } from '../../http/authenticate.js';
import { IdempotencyHeaders, Page } from '../../http/schemas.js';
import type { ApiApp } from '../../http/server.js';
import { idempotencyGuard } from '../../http/idempotency-guard.js';
import { withIdempotency } from '../../platform/idempotency.js';
import { listCustomerMerges, mergeCustomers } from './merge-customers.js';
import { CustomerParams, MergeBody, PageOnlyQuery } from './route-schemas.js';
import { undoCustomerMerge } from './undo-merge.js';
import { CustomerMergeViewSchema, type CustomerMergeView } from './view.js';

const tags = ['customers'];

export function customerMergeRoutes(app: ApiApp, ctx: AppContext): void {
  app.post(
    '/customers/:id/merge',
    {
      schema: {
        tags,
        summary: 'Merge another customer into this one (supervisor or admin; undoable)',
        params: CustomerParams,
        headers: IdempotencyHeaders,
        body: MergeBody,
        response: { 201: CustomerMergeViewSchema },
      },
    },
    async (request, reply) => {
      const actor = agentOf(request);
      const result = await withIdempotency<CustomerMergeView>(ctx.db, idempotencyGuard(request, actor), async (tx) => ({
        statusCode: 201,
        body: await mergeCustomers(tx, actor, request.params.id, request.body.source_customer_id),
      }));
      return reply.status(201).send(result.body);
    },
  );

  app.get(
    '/customers/:id/merges',
    {
      schema: {
        tags,
        summary: 'Merges this customer took part in',
        params: CustomerParams,
        querystring: PageOnlyQuery,
        response: { 200: Page(CustomerMergeViewSchema) },
      },
    },
    async (request) => listCustomerMerges(ctx.db, agentOf(request), request.params.id, request.query),
  );

  app.post(
    '/customer-merges/:id/undo',
    { schema: { tags, summary: 'Undo a customer merge exactly', params: CustomerParams, response: { 200: CustomerMergeViewSchema } } },
    async (request) => undoCustomerMerge(ctx.db, agentOf(request), request.params.id),
  );
}
