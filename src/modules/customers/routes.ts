import type { AppContext } from '../../context.js';
import { agentOf } from '../../http/authenticate.js';
import { IdempotencyHeaders, Page } from '../../http/schemas.js';
import type { ApiApp } from '../../http/server.js';
import { idempotencyGuard } from '../../http/idempotency-guard.js';
import { withIdempotency } from '../../platform/idempotency.js';
import { createCustomer } from './create-customer.js';
import { getCustomer, listCustomers } from './customer-queries.js';
import { addIdentity, removeIdentity, setPrimaryIdentity } from './identities.js';
import { customerMergeRoutes } from './merge-routes.js';
import {
  AddIdentityBody,
  CreateCustomerBody,
  CustomerListQuery,
  CustomerParams,
  IdentityParams,
  UpdateCustomerBody,
} from './route-schemas.js';
import { updateCustomer } from './update-customer.js';
import { CustomerViewSchema, type CustomerView } from './view.js';

const tags = ['customers'];

export function customerRoutes(app: ApiApp, ctx: AppContext): void {
  app.get(
    '/customers',
    { schema: { tags, summary: 'List customers', querystring: CustomerListQuery, response: { 200: Page(CustomerViewSchema) } } },
    async (request) => listCustomers(ctx.db, agentOf(request), request.query),
  );

  app.post(
    '/customers',
    {
      schema: {
        tags,
        summary: 'Create a customer',
        headers: IdempotencyHeaders,
        body: CreateCustomerBody,
        response: { 201: CustomerViewSchema },
      },
    },
    async (request, reply) => {
      const actor = agentOf(request);
      const result = await withIdempotency<CustomerView>(ctx.db, idempotencyGuard(request, actor), async (tx) => ({
        statusCode: 201,
        body: await createCustomer(tx, actor, request.body),
      }));
      return reply.status(201).send(result.body);
    },
  );

  app.get(
    '/customers/:id',
    { schema: { tags, summary: 'Get a customer', params: CustomerParams, response: { 200: CustomerViewSchema } } },
    async (request) => getCustomer(ctx.db, agentOf(request), request.params.id),
  );

  app.patch(
    '/customers/:id',
    {
      schema: {
        tags,
        summary: 'Change a customer (requires the version you read)',
        params: CustomerParams,
        body: UpdateCustomerBody,
        response: { 200: CustomerViewSchema },
      },
    },
    async (request) => updateCustomer(ctx.db, agentOf(request), request.params.id, request.body),
  );

  app.post(
    '/customers/:id/identities',
    {
      schema: {
        tags,
        summary: 'Add an email address or phone number',
        params: CustomerParams,
        body: AddIdentityBody,
        response: { 201: CustomerViewSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await addIdentity(ctx.db, agentOf(request), request.params.id, request.body)),
  );

  app.delete(
    '/customers/:id/identities/:identityId',
    { schema: { tags, summary: 'Remove an email address or phone number', params: IdentityParams, response: { 200: CustomerViewSchema } } },
    async (request) => removeIdentity(ctx.db, agentOf(request), request.params.id, request.params.identityId),
  );

  app.post(
    '/customers/:id/identities/:identityId/primary',
    {
      schema: {
        tags,
        summary: 'Make an email address or phone number the primary one',
        params: IdentityParams,
        response: { 200: CustomerViewSchema },
      },
    },
    async (request) => setPrimaryIdentity(ctx.db, agentOf(request), request.params.id, request.params.identityId),
  );

  customerMergeRoutes(app, ctx);
}
