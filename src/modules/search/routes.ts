import { Type } from 'typebox';
import type { AppContext } from '../../context.js';
import { agentOf } from '../../http/authenticate.js';
import { Closed, Uuid } from '../../http/schemas.js';
import type { ApiApp } from '../../http/server.js';
import { CaseFilterFields, parseCaseFilters } from '../cases/listing-filters.js';
import { CaseListItem, presentCaseListItem } from '../cases/listing-routes.js';
import { MAX_CUSTOMER_SEARCH } from '../customers/search.js';
import { searchEverything } from './service.js';

const SearchQuery = Closed({
  q: Type.String({ minLength: 1, maxLength: 200, description: 'Words to find (web-search syntax for cases: "phrase", -word, or)' }),
  type: Type.Optional(Type.Enum(['all', 'cases', 'customers'], { default: 'all' })),
  status: CaseFilterFields.status,
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_CUSTOMER_SEARCH, default: 10 })),
});

const SearchResponse = Type.Object({
  cases: Type.Array(
    Type.Object({
      ...CaseListItem.properties,
      snippet: Type.String({ description: 'Plain text (never HTML); matched words between « and »' }),
    }),
  ),
  customers: Type.Array(
    Type.Object({ id: Uuid, name: Type.String(), organization: Type.String(), primary_email: Type.Union([Type.String(), Type.Null()]) }),
  ),
});

export function searchRoutes(app: ApiApp, ctx: AppContext): void {
  app.get(
    '/search',
    {
      schema: {
        tags: ['search'],
        summary: 'Search cases (subject and messages) and customers (names, organizations, emails, phones)',
        querystring: SearchQuery,
        response: { 200: SearchResponse },
      },
    },
    async (request) => {
      const actor = agentOf(request);
      const { q, type, status, limit } = request.query;
      const filters = parseCaseFilters({ q, ...(status !== undefined ? { status } : {}) }, 'querystring');
      const results = await searchEverything(ctx.db, actor, {
        q: filters.q!,
        scope: type ?? 'all',
        status: filters.status,
        limit: limit ?? 10,
      });
      return { cases: results.cases.map(presentCaseListItem), customers: results.customers };
    },
  );
}
