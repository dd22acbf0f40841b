import { Type } from 'typebox';
import type { AppContext } from '../../context.js';
import { agentOf } from '../../http/authenticate.js';
import { IdempotencyHeaders, Page } from '../../http/schemas.js';
import type { ApiApp } from '../../http/server.js';
import { validationError } from '../../platform/errors.js';
import { idempotencyGuard } from '../../http/idempotency-guard.js';
import { withIdempotency } from '../../platform/idempotency.js';
import { findOrCreateCustomerByEmail } from '../customers/service.js';
import { addMessage } from './add-message.js';
import { bulkUpdateCases } from './bulk-update.js';
import { createCase } from './create-case.js';
import { followCase, unfollowCase } from './followers.js';
import { getCase } from './get-case.js';
import { listCaseEvents, listCustomerTimeline } from './history.js';
import { listMessages } from './list-messages.js';
import { mergeCases } from './merge-cases.js';
import {
  AddMessageBody,
  AddMessageResponse,
  BulkBody,
  BulkResponse,
  CaseParams,
  CaseRefParams,
  CreateCaseBody,
  CustomerParams,
  FollowBody,
  FollowerParams,
  FollowersResponse,
  MergeBody,
  PageOnlyQuery,
  SplitBody,
  UpdateCaseBody,
} from './route-schemas.js';
import { splitCase } from './split-case.js';
import { updateCase } from './update-case.js';
import { CaseEventViewSchema, CaseViewSchema, MessageViewSchema, TimelineItemSchema, type CaseView, type MessageView } from './views.js';

const tags = ['cases'];

export function caseRoutes(app: ApiApp, ctx: AppContext): void {
  app.post(
    '/cases',
    {
      schema: {
        tags,
        summary: 'Open a case with its first message',
        headers: IdempotencyHeaders,
        body: CreateCaseBody,
        response: { 201: CaseViewSchema },
      },
    },
    async (request, reply) => {
      const actor = agentOf(request);
      const body = request.body;
      if ((body.customer_id === undefined) === (body.customer === undefined)) {
        throw validationError('case.customer_required', 'Send either customer_id or customer {email, name}', { field: 'customer_id' });
      }
      const result = await withIdempotency<CaseView>(ctx.db, idempotencyGuard(request, actor), async (tx) => {
        const customerId = body.customer_id ?? (await findOrCreateCustomerByEmail(tx, actor, body.customer!)).customerId;
        const created = await createCase(tx, actor, {
          customerId,
          subject: body.subject,
          category: body.category,
          priority: body.priority,
          type: body.type,
          dueAt: body.due_at == null ? body.due_at : new Date(body.due_at),
          channel: body.channel ?? 'api',
          teamId: body.team_id,
          queueId: body.queue_id,
          assigneeId: body.assignee_id,
          tags: body.tags,
          message: {
            bodyText: body.message.body,
            visibility: body.message.visibility,
            authorType: body.message.author_type,
            attachmentIds: body.message.attachment_ids,
          },
        });
        return { statusCode: 201, body: created };
      });
      return reply.status(201).send(result.body);
    },
  );

  app.get(
    '/cases/:ref',
    { schema: { tags, summary: 'Get a case by id or number', params: CaseRefParams, response: { 200: CaseViewSchema } } },
    async (request) => getCase(ctx.db, agentOf(request), request.params.ref),
  );

  app.patch(
    '/cases/:id',
    {
      schema: {
        tags,
        summary: 'Change a case (requires the version you read)',
        params: CaseParams,
        body: UpdateCaseBody,
        response: { 200: CaseViewSchema },
      },
    },
    async (request) => {
      const { version, subject, status, priority, category, type, due_at, team_id, queue_id, assignee_id, tags: caseTags } = request.body;
      return updateCase(ctx.db, agentOf(request), request.params.id, {
        version,
        subject,
        status,
        priority,
        category,
        type,
        dueAt: due_at == null ? due_at : new Date(due_at),
        teamId: team_id,
        queueId: queue_id,
        assigneeId: assignee_id,
        tags: caseTags,
      });
    },
  );

  app.get(
    '/cases/:id/messages',
    {
      schema: {
        tags,
        summary: 'The conversation, notes included, oldest first',
        params: CaseParams,
        querystring: PageOnlyQuery,
        response: { 200: Page(MessageViewSchema) },
      },
    },
    async (request) => listMessages(ctx.db, agentOf(request), request.params.id, request.query),
  );

  app.post(
    '/cases/:id/messages',
    {
      schema: {
        tags,
        summary: 'Reply to the customer or add an internal note',
        params: CaseParams,
        headers: IdempotencyHeaders,
        body: AddMessageBody,
        response: { 201: AddMessageResponse },
      },
    },
    async (request, reply) => {
      const actor = agentOf(request);
      const { id } = request.params;
      const body = request.body;
      const result = await withIdempotency<{ message: MessageView; case: CaseView }>(
        ctx.db,
        idempotencyGuard(request, actor),
        async (tx) => {
          const message = await addMessage(tx, actor, id, {
            bodyText: body.body,
            visibility: body.visibility,
            statusAfter: body.status_after,
            attachmentIds: body.attachment_ids,
          });
          return { statusCode: 201, body: { message, case: await getCase(tx, actor, id) } };
        },
      );
      return reply.status(201).send(result.body);
    },
  );

  app.post(
    '/cases/:id/followers',
    {
      schema: {
        tags,
        summary: 'Follow a case (yourself, or the agent named)',
        params: CaseParams,
        body: FollowBody,
        response: { 200: FollowersResponse },
      },
    },
    async (request) => ({ followers: await followCase(ctx.db, agentOf(request), request.params.id, request.body.agent_id) }),
  );

  app.delete(
    '/cases/:id/followers/:agentId',
    { schema: { tags, summary: 'Stop an agent following a case', params: FollowerParams, response: { 200: FollowersResponse } } },
    async (request) => ({ followers: await unfollowCase(ctx.db, agentOf(request), request.params.id, request.params.agentId) }),
  );

  app.post(
    '/cases/:id/split',
    {
      schema: {
        tags,
        summary: 'Move messages into a new case of the same customer',
        params: CaseParams,
        headers: IdempotencyHeaders,
        body: SplitBody,
        response: { 201: CaseViewSchema },
      },
    },
    async (request, reply) => {
      const actor = agentOf(request);
      const { id } = request.params;
      const result = await withIdempotency<CaseView>(ctx.db, idempotencyGuard(request, actor), async (tx) => ({
        statusCode: 201,
        body: await splitCase(tx, actor, id, { messageIds: request.body.message_ids, subject: request.body.subject }),
      }));
      return reply.status(201).send(result.body);
    },
  );

  app.post(
    '/cases/:id/merge',
    {
      schema: {
        tags,
        summary: 'Merge another case into this one (the other is closed)',
        params: CaseParams,
        body: MergeBody,
        response: { 200: CaseViewSchema },
      },
    },
    async (request) => mergeCases(ctx.db, agentOf(request), { sourceCaseId: request.body.source_case_id, targetCaseId: request.params.id }),
  );

  app.post(
    '/cases/bulk',
    { schema: { tags, summary: 'Apply the same changes to up to 100 cases', body: BulkBody, response: { 200: BulkResponse } } },
    async (request) => {
      const { case_ids, changes } = request.body;
      const results = await bulkUpdateCases(ctx.db, agentOf(request), {
        caseIds: case_ids,
        changes: {
          status: changes.status,
          priority: changes.priority,
          assigneeId: changes.assignee_id,
          teamId: changes.team_id,
          addTags: changes.add_tags,
          removeTags: changes.remove_tags,
        },
      });
      return { results };
    },
  );

  app.get(
    '/cases/:id/events',
    {
      schema: {
        tags,
        summary: 'The history of a case, oldest first',
        params: CaseParams,
        response: { 200: Type.Object({ data: Type.Array(CaseEventViewSchema) }) },
      },
    },
    async (request) => ({ data: await listCaseEvents(ctx.db, agentOf(request), request.params.id) }),
  );

  app.get(
    '/customers/:id/timeline',
    {
      schema: {
        tags: ['customers'],
        summary: "Everything on a customer's cases, newest first",
        params: CustomerParams,
        querystring: PageOnlyQuery,
        response: { 200: Page(TimelineItemSchema) },
      },
    },
    async (request) => listCustomerTimeline(ctx.db, agentOf(request), request.params.id, request.query),
  );
}
