import { Type, type Static } from 'typebox';
import type { AppContext } from '../../context.js';
import { agentOf } from '../../http/authenticate.js';
import { Closed, PageQuery, Uuid } from '../../http/schemas.js';
import type { ApiApp } from '../../http/server.js';
import { CASE_SORTS, CaseFilterFields, parseCaseFilters, type CaseFilterParams, type CaseSort } from './listing-filters.js';
import { listCases, type CaseListPage, type CaseListRow } from './listing.js';
import { CASE_CATEGORIES, CASE_PRIORITIES, CASE_STATUSES, CHANNELS } from './schema.js';

/** One inbox row, as GET /cases, the views and search return it. */
export const CaseListItem = Type.Object({
  id: Uuid,
  number: Type.Integer(),
  subject: Type.String(),
  status: Type.Enum([...CASE_STATUSES]),
  priority: Type.Enum([...CASE_PRIORITIES]),
  category: Type.Enum([...CASE_CATEGORIES]),
  channel: Type.Enum([...CHANNELS]),
  tags: Type.Array(Type.String()),
  customer: Type.Object({ id: Uuid, name: Type.String(), primary_email: Type.Union([Type.String(), Type.Null()]) }),
  assignee: Type.Union([Type.Object({ id: Uuid, name: Type.String() }), Type.Null()]),
  team_id: Type.Union([Uuid, Type.Null()]),
  queue_id: Type.Union([Uuid, Type.Null()]),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
  last_message_at: Type.String({ format: 'date-time' }),
  version: Type.Integer(),
});

export const CaseListResponse = Type.Object({
  data: Type.Array(CaseListItem),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
  total_estimate: Type.Optional(
    Type.Integer({
      description:
        'First page only: matching cases, counted up to 1000. With a text search (q) and more than 1000 cases passing the other filters, the matches among the first 1000 of them in the sort order (a lower bound).',
    }),
  ),
});

/** Rows as the API sends them: timestamps as ISO strings. */
export function presentCaseListItem<R extends CaseListRow>(
  row: R,
): Omit<R, 'created_at' | 'updated_at' | 'last_message_at'> & Static<typeof CaseListItem> {
  return {
    ...row,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    last_message_at: row.last_message_at.toISOString(),
  };
}

export function presentCaseListPage(page: CaseListPage): Static<typeof CaseListResponse> {
  return { ...page, data: page.data.map(presentCaseListItem) };
}

export const CaseSortParam = Type.Optional(
  Type.Enum([...CASE_SORTS], { description: 'Default updated_desc; priority_desc is urgent first, then most recently updated' }),
);

const ListQuery = Closed({ ...CaseFilterFields, sort: CaseSortParam, ...PageQuery });

export function caseListingRoutes(app: ApiApp, ctx: AppContext): void {
  app.get(
    '/cases',
    {
      schema: {
        tags: ['cases'],
        summary: 'List cases (the inbox): filters combine with AND; keyset pagination',
        querystring: ListQuery,
        response: { 200: CaseListResponse },
      },
    },
    async (request) => {
      const actor = agentOf(request);
      const { sort, limit, cursor, ...params } = request.query;
      const filters = parseCaseFilters(params as CaseFilterParams, 'querystring');
      return presentCaseListPage(
        await listCases(ctx.db, actor, { filters, sort: sort as CaseSort | undefined, limit: limit ?? 25, cursor }),
      );
    },
  );
}
