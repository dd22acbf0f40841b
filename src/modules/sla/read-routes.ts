import { Type } from 'typebox';
import type { AppContext } from '../../context.js';
import { agentOf } from '../../http/authenticate.js';
import { Closed, Page, Uuid } from '../../http/schemas.js';
import type { ApiApp } from '../../http/server.js';
import { AttainmentReportSchema, CaseSlaViewSchema, SlaCaseItemSchema } from './read-views.js';
import { getAttainmentReport, getCaseSla, listSlaCases } from './reads.js';

/** What agents read: a case's running targets, the breaching-soon and breached lists, attainment. */

const tags = ['sla'];

export function slaReadRoutes(app: ApiApp, ctx: AppContext): void {
  app.get(
    '/cases/:caseId/sla',
    {
      schema: {
        tags,
        summary: "A case's SLA: the policy applied and each target's state and time left",
        params: Closed({ caseId: Uuid }),
        response: { 200: CaseSlaViewSchema },
      },
    },
    async (request) => getCaseSla(ctx.db, agentOf(request), request.params.caseId),
  );

  app.get(
    '/sla/cases',
    {
      schema: {
        tags,
        summary: 'Cases breaching soon (within_minutes, default 60) or breached and not yet met, with their worst target',
        querystring: Closed({
          state: Type.Enum(['breaching_soon', 'breached']),
          within_minutes: Type.Optional(
            Type.Integer({ minimum: 1, maximum: 10080, description: 'breaching_soon: due within; breached: breached within the last' }),
          ),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })),
          cursor: Type.Optional(Type.String({ maxLength: 512, description: 'Opaque cursor from next_cursor' })),
        }),
        response: { 200: Page(SlaCaseItemSchema) },
      },
    },
    async (request) => listSlaCases(ctx.db, agentOf(request), request.query),
  );

  app.get(
    '/sla/report',
    {
      schema: {
        tags,
        summary: 'SLA attainment per metric over [from, to) from the SLA events',
        querystring: Closed({
          from: Type.String({ format: 'date-time', maxLength: 40 }),
          to: Type.String({ format: 'date-time', maxLength: 40 }),
        }),
        response: { 200: AttainmentReportSchema },
      },
    },
    async (request) => getAttainmentReport(ctx.db, agentOf(request), request.query),
  );
}
