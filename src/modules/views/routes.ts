import { Type, type Static } from 'typebox';
import type { AppContext } from '../../context.js';
import { agentOf } from '../../http/authenticate.js';
import { Closed, IdempotencyHeaders, PageQuery, Uuid } from '../../http/schemas.js';
import type { ApiApp } from '../../http/server.js';
import { idempotencyGuard } from '../../http/idempotency-guard.js';
import { withIdempotency } from '../../platform/idempotency.js';
import { CASE_SORTS, CaseFilterFields, type CaseSort } from '../cases/listing-filters.js';
import { CaseListResponse, CaseSortParam, presentCaseListPage } from '../cases/listing-routes.js';
import { createSavedView, deleteSavedView, listViewCases, listViews, updateSavedView, type InboxView } from './service.js';

const ViewFilters = Closed(CaseFilterFields, { description: 'The same filters as the GET /cases query string' });

const View = Type.Object({
  id: Type.String({
    description: 'A built-in key (my_open, unassigned, all_open, recently_solved, team:<id>, queue:<id>) or a saved view id',
  }),
  kind: Type.Enum(['builtin', 'saved']),
  name: Type.String(),
  filters: ViewFilters,
  sort: Type.Enum([...CASE_SORTS]),
  count: Type.Integer(),
  shared: Type.Optional(Type.Boolean()),
  owner_agent_id: Type.Optional(Type.Union([Uuid, Type.Null()])),
  position: Type.Optional(Type.Integer()),
  created_at: Type.Optional(Type.String({ format: 'date-time' })),
  updated_at: Type.Optional(Type.String({ format: 'date-time' })),
});

const ViewParams = Closed({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const Name = Type.String({ minLength: 1, maxLength: 100 });
const Position = Type.Integer({ minimum: 0, maximum: 10_000 });
const Sort = Type.Enum([...CASE_SORTS]);

const CreateBody = Closed({
  name: Name,
  filters: ViewFilters,
  sort: Type.Optional(Sort),
  shared: Type.Optional(Type.Boolean({ description: 'Shared with the whole workspace (supervisors and admins only)' })),
  position: Type.Optional(Position),
});

const UpdateBody = Closed(
  {
    name: Type.Optional(Name),
    filters: Type.Optional(ViewFilters),
    sort: Type.Optional(Sort),
    shared: Type.Optional(Type.Boolean()),
    position: Type.Optional(Position),
  },
  { minProperties: 1 },
);

function presentView(view: InboxView): Static<typeof View> {
  const { created_at, updated_at, ...rest } = view;
  return {
    ...rest,
    filters: rest.filters as Static<typeof ViewFilters>,
    ...(created_at ? { created_at: created_at.toISOString() } : {}),
    ...(updated_at ? { updated_at: updated_at.toISOString() } : {}),
  };
}

export function viewRoutes(app: ApiApp, ctx: AppContext): void {
  app.get(
    '/views',
    {
      schema: {
        tags: ['views'],
        summary: "The agent's inbox views (built-in and saved) with their case counts",
        response: { 200: Type.Object({ data: Type.Array(View) }) },
      },
    },
    async (request) => ({ data: (await listViews(ctx.db, agentOf(request))).map(presentView) }),
  );

  app.get(
    '/views/:id/cases',
    {
      schema: {
        tags: ['views'],
        summary: "The cases of a view, in the view's sort unless one is given",
        params: ViewParams,
        querystring: Closed({ sort: CaseSortParam, ...PageQuery }),
        response: { 200: CaseListResponse },
      },
    },
    async (request) => {
      const { sort, limit, cursor } = request.query;
      const page = await listViewCases(ctx.db, agentOf(request), request.params.id, {
        sort: sort as CaseSort | undefined,
        limit: limit ?? 25,
        cursor,
      });
      return presentCaseListPage(page);
    },
  );

  app.post(
    '/views',
    {
      schema: {
        tags: ['views'],
        summary: 'Save a view (personal, or shared with the workspace)',
        headers: IdempotencyHeaders,
        body: CreateBody,
        response: { 201: View },
      },
    },
    async (request, reply) => {
      const actor = agentOf(request);
      const result = await withIdempotency(ctx.db, idempotencyGuard(request, actor), async (tx) => ({
        statusCode: 201,
        body: presentView(await createSavedView(tx, actor, { ...request.body, sort: request.body.sort as CaseSort | undefined })),
      }));
      return reply.status(result.statusCode as 201).send(result.body);
    },
  );

  app.patch(
    '/views/:id',
    {
      schema: {
        tags: ['views'],
        summary: 'Change a saved view',
        params: ViewParams,
        body: UpdateBody,
        response: { 200: View },
      },
    },
    async (request) => {
      const { sort, ...changes } = request.body;
      return presentView(
        await updateSavedView(ctx.db, agentOf(request), request.params.id, { ...changes, ...(sort ? { sort: sort as CaseSort } : {}) }),
      );
    },
  );

  app.delete(
    '/views/:id',
    {
      schema: {
        tags: ['views'],
        summary: 'Delete a saved view',
        params: ViewParams,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await deleteSavedView(ctx.db, agentOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
