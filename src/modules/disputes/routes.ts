import type { AppContext } from '../../context.js';
import { agentOf } from '../../http/authenticate.js';
import { idempotencyGuard } from '../../http/idempotency-guard.js';
import { IdempotencyHeaders, Page } from '../../http/schemas.js';
import type { ApiApp } from '../../http/server.js';
import { validationError } from '../../platform/errors.js';
import { withIdempotency } from '../../platform/idempotency.js';
import { evidenceRoutes } from './evidence-routes.js';
import { getDispute, getDisputeOfCase } from './get-dispute.js';
import { createManualDispute, setManualOutcome } from './manual.js';
import { listDisputes } from './queries.js';
import { disputeReport, DisputeReportSchema } from './report.js';
import {
  CaseDisputeParams,
  CreateDisputeBody,
  DisputeListQuery,
  DisputeParams,
  OutcomeBody,
  ReportQuery,
  SettingsBody,
  SettingsView,
} from './route-schemas.js';
import { DISPUTE_STATUSES, type DisputeStatus } from './schema.js';
import { getDisputeSettings, updateDisputeSettings } from './settings.js';
import { submitDisputeEvidence } from './submit.js';
import { DisputeSummarySchema, DisputeViewSchema, type DisputeView } from './views.js';

const tags = ['disputes'];

function listParam<T extends string>(raw: string | undefined, allowed: readonly T[], field: string): T[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const values = raw
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
  const unknown = values.filter((v) => !allowed.includes(v as T));
  if (unknown.length > 0) {
    throw validationError('dispute.invalid_filter', `Unknown ${field}: ${unknown.join(', ')}`, { field, allowed: [...allowed] });
  }
  return values as T[];
}

export function disputeRoutes(app: ApiApp, ctx: AppContext): void {
  app.get(
    '/disputes',
    {
      schema: {
        tags,
        summary: 'List disputes, newest first',
        querystring: DisputeListQuery,
        response: { 200: Page(DisputeSummarySchema) },
      },
    },
    async (request) => {
      const q = request.query;
      return listDisputes(ctx.db, agentOf(request), {
        status: listParam<DisputeStatus>(q.status, DISPUTE_STATUSES, 'status'),
        outcome: listParam(q.outcome, ['won', 'lost', 'none'] as const, 'outcome'),
        due_before: q.due_before,
        customer_id: q.customer_id,
        limit: q.limit,
        cursor: q.cursor,
      });
    },
  );

  app.post(
    '/disputes',
    {
      schema: {
        tags,
        summary: 'Enter a dispute by hand (opens its case, or turns case_id into the dispute case)',
        headers: IdempotencyHeaders,
        body: CreateDisputeBody,
        response: { 201: DisputeViewSchema },
      },
    },
    async (request, reply) => {
      const actor = agentOf(request);
      const result = await withIdempotency<DisputeView>(ctx.db, idempotencyGuard(request, actor), async (tx) => ({
        statusCode: 201,
        body: await createManualDispute(tx, actor, request.body),
      }));
      return reply.status(201).send(result.body);
    },
  );

  app.get(
    '/disputes/report',
    {
      schema: {
        tags,
        summary: 'Won, lost and open disputes per currency and reason',
        querystring: ReportQuery,
        response: { 200: DisputeReportSchema },
      },
    },
    async (request) => disputeReport(ctx.db, agentOf(request), request.query),
  );

  app.get(
    '/disputes/settings',
    { schema: { tags, summary: 'Policy texts the evidence builder quotes (admin)', response: { 200: SettingsView } } },
    async (request) => getDisputeSettings(ctx.db, agentOf(request)),
  );

  app.put(
    '/disputes/settings',
    { schema: { tags, summary: 'Change the policy texts (admin)', body: SettingsBody, response: { 200: SettingsView } } },
    async (request) => updateDisputeSettings(ctx.db, agentOf(request), request.body),
  );

  app.get(
    '/disputes/:id',
    {
      schema: {
        tags,
        summary: 'A dispute with its evidence and requirements',
        params: DisputeParams,
        response: { 200: DisputeViewSchema },
      },
    },
    async (request) => getDispute(ctx.db, agentOf(request), request.params.id),
  );

  app.get(
    '/cases/:caseId/dispute',
    {
      schema: {
        tags,
        summary: 'The dispute worked in a case (404 when it has none)',
        params: CaseDisputeParams,
        response: { 200: DisputeViewSchema },
      },
    },
    async (request) => getDisputeOfCase(ctx.db, agentOf(request), request.params.caseId),
  );

  app.post(
    '/disputes/:id/outcome',
    {
      schema: {
        tags,
        summary: "Record the bank's decision on a manual dispute",
        params: DisputeParams,
        body: OutcomeBody,
        response: { 200: DisputeViewSchema },
      },
    },
    async (request) => setManualOutcome(ctx.db, agentOf(request), request.params.id, request.body.outcome),
  );

  app.post(
    '/disputes/:id/submit',
    {
      schema: {
        tags,
        summary: 'Submit the evidence packet to the processor (once)',
        params: DisputeParams,
        response: { 200: DisputeViewSchema },
      },
    },
    async (request) => submitDisputeEvidence(ctx, agentOf(request), request.params.id),
  );

  evidenceRoutes(app, ctx);
}
