import { Type } from 'typebox';
import type { AppContext } from '../../context.js';
import { agentOf } from '../../http/authenticate.js';
import { Closed, IdempotencyHeaders, Page, Uuid } from '../../http/schemas.js';
import type { ApiApp } from '../../http/server.js';
import { CASE_CATEGORIES } from '../cases/schema.js';
import { IdParams, idempotencyOf, NoContent } from './route-helpers.js';
import {
  createQueue,
  createTeam,
  deleteQueue,
  deleteTeam,
  getTeam,
  listQueues,
  listTeams,
  setTeamMembers,
  updateQueue,
  updateTeam,
} from './teams.js';
import { QueueSchema, TeamSchema } from './views.js';

const Name = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
const Description = Type.String({ maxLength: 2000 });
const Categories = Type.Array(Type.Enum([...CASE_CATEGORIES]), {
  uniqueItems: true,
  maxItems: CASE_CATEGORIES.length,
  description: 'Cases of these categories land in this queue',
});
const AgentIds = Type.Array(Uuid, { maxItems: 500 });
/** Teams and queues are few: pages default to 100. */
const ListQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 100 })),
  cursor: Type.Optional(Type.String({ maxLength: 512, description: 'Opaque cursor from next_cursor' })),
};
const tags = ['teams'];

export function teamRoutes(app: ApiApp, ctx: AppContext): void {
  app.get(
    '/teams',
    {
      schema: { tags, summary: 'Teams with their members and queues', querystring: Closed(ListQuery), response: { 200: Page(TeamSchema) } },
    },
    async (request) => listTeams(ctx.db, agentOf(request), request.query),
  );

  app.get(
    '/teams/:id',
    { schema: { tags, summary: 'One team with its members and queues', params: IdParams, response: { 200: TeamSchema } } },
    async (request) => getTeam(ctx.db, agentOf(request), request.params.id),
  );

  app.post(
    '/teams',
    {
      schema: {
        tags,
        summary: 'Create a team (admin)',
        headers: IdempotencyHeaders,
        body: Closed({
          name: Name,
          description: Type.Optional(Description),
          auto_assign: Type.Optional(Type.Boolean()),
          member_ids: Type.Optional(AgentIds),
        }),
        response: { 201: TeamSchema },
      },
    },
    async (request, reply) => {
      const result = await createTeam(ctx.db, agentOf(request), request.body, idempotencyOf(request));
      return reply.code(201).send(result.body);
    },
  );

  app.patch(
    '/teams/:id',
    {
      schema: {
        tags,
        summary: 'Change a team (admin)',
        params: IdParams,
        body: Closed({ name: Type.Optional(Name), description: Type.Optional(Description), auto_assign: Type.Optional(Type.Boolean()) }),
        response: { 200: TeamSchema },
      },
    },
    async (request) => updateTeam(ctx.db, agentOf(request), request.params.id, request.body),
  );

  app.delete(
    '/teams/:id',
    {
      schema: {
        tags,
        summary: 'Delete a team (admin); its cases keep existing without a team',
        params: IdParams,
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      await deleteTeam(ctx.db, agentOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.put(
    '/teams/:id/members',
    {
      schema: {
        tags,
        summary: 'Replace the members of a team (admin)',
        params: IdParams,
        body: Closed({ agent_ids: AgentIds }),
        response: { 200: TeamSchema },
      },
    },
    async (request) => setTeamMembers(ctx.db, agentOf(request), request.params.id, request.body.agent_ids),
  );

  app.post(
    '/teams/:id/queues',
    {
      schema: {
        tags,
        summary: 'Add a queue to a team (admin); a category belongs to at most one queue',
        params: IdParams,
        headers: IdempotencyHeaders,
        body: Closed({ name: Name, categories: Type.Optional(Categories) }),
        response: { 201: QueueSchema },
      },
    },
    async (request, reply) => {
      const result = await createQueue(ctx.db, agentOf(request), request.params.id, request.body, idempotencyOf(request));
      return reply.code(201).send(result.body);
    },
  );

  app.get(
    '/queues',
    {
      schema: {
        tags,
        summary: 'Queues of the workspace',
        querystring: Closed({ ...ListQuery, team_id: Type.Optional(Uuid) }),
        response: { 200: Page(QueueSchema) },
      },
    },
    async (request) => listQueues(ctx.db, agentOf(request), request.query),
  );

  app.patch(
    '/queues/:id',
    {
      schema: {
        tags,
        summary: 'Rename a queue or change its categories (admin)',
        params: IdParams,
        body: Closed({ name: Type.Optional(Name), categories: Type.Optional(Categories) }),
        response: { 200: QueueSchema },
      },
    },
    async (request) => updateQueue(ctx.db, agentOf(request), request.params.id, request.body),
  );

  app.delete(
    '/queues/:id',
    { schema: { tags, summary: 'Delete a queue (admin)', params: IdParams, response: { 204: NoContent } } },
    async (request, reply) => {
      await deleteQueue(ctx.db, agentOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
}
