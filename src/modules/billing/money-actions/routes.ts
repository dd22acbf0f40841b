import { Type } from 'typebox';
import type { AppContext } from '../../../context.js';
import { inTransaction } from '../../../db/database.js';
import { agentOf } from '../../../http/authenticate.js';
import { idempotencyGuard } from '../../../http/idempotency-guard.js';
import { Closed, IdempotencyHeaders, Page, PageQuery, Uuid } from '../../../http/schemas.js';
import type { ApiApp } from '../../../http/server.js';
import { withIdempotency } from '../../../platform/idempotency.js';
import { MAX_MINOR } from '../money.js';
import { MONEY_ACTION_KINDS, MONEY_ACTION_STATUSES } from '../schema.js';
import { decideMoneyAction, type MoneyActionDecision } from './decide.js';
import { getApprovalLimits, replaceApprovalLimits } from './limits.js';
import { listMoneyActionsByStatus, listMoneyActionsOfCasePage } from './list.js';
import { MAX_REASON_LENGTH, requestMoneyAction } from './request.js';
import { MoneyActionViewSchema, type MoneyActionView } from './views.js';

const tags = ['billing'];
const Role = Type.Enum(['agent', 'supervisor', 'admin']);
const Currency = Type.String({ minLength: 3, maxLength: 3, description: 'ISO 4217 code (EUR, JPY, ...)' });
const MinorAmount = (minimum: number) =>
  Type.Integer({ minimum, maximum: MAX_MINOR, description: 'Integer minor units of the currency (cents; yen for JPY)' });

const CaseMoneyParams = Closed({ caseId: Uuid });
const MoneyActionParams = Closed({ id: Uuid });

const RequestBody = Closed({
  kind: Type.Enum([...MONEY_ACTION_KINDS]),
  amount_minor: MinorAmount(1),
  currency: Currency,
  reason: Type.String({ minLength: 1, maxLength: MAX_REASON_LENGTH }),
  payment_id: Type.Optional(Uuid),
  invoice_id: Type.Optional(Uuid),
  account_id: Type.Optional(Uuid),
});

const DecisionBody = Closed({ note: Type.Optional(Type.String({ maxLength: 1000 })) });

const ListQuery = Closed({ ...PageQuery, status: Type.Optional(Type.Enum([...MONEY_ACTION_STATUSES])) });

const LimitSchema = Closed({ role: Role, currency: Currency, max_minor: MinorAmount(0) });
const LimitsView = Type.Object({
  limits: Type.Array(LimitSchema),
  defaults: Type.Array(Type.Object({ role: Role, max_minor: Type.Integer() }), {
    description: 'What applies to a role in a currency without a row of its own',
  }),
});
const LimitsBody = Closed({ limits: Type.Array(LimitSchema, { maxItems: 300 }) });

export function moneyActionRoutes(app: ApiApp, ctx: AppContext): void {
  app.post(
    '/cases/:caseId/money-actions',
    {
      schema: {
        tags,
        summary: 'Refund, credit or waive a fee from a case (above your approval limit it waits for approval)',
        params: CaseMoneyParams,
        headers: IdempotencyHeaders,
        body: RequestBody,
        response: { 201: MoneyActionViewSchema },
      },
    },
    async (request, reply) => {
      const actor = agentOf(request);
      const body = request.body;
      const result = await withIdempotency<MoneyActionView>(ctx.db, idempotencyGuard(request, actor), async (tx) => ({
        statusCode: 201,
        body: await requestMoneyAction(tx, ctx, actor, request.params.caseId, {
          kind: body.kind,
          amountMinor: body.amount_minor,
          currency: body.currency,
          reason: body.reason,
          paymentId: body.payment_id,
          invoiceId: body.invoice_id,
          accountId: body.account_id,
        }),
      }));
      return reply.status(201).send(result.body);
    },
  );

  app.get(
    '/cases/:caseId/money-actions',
    {
      schema: {
        tags,
        summary: 'The money actions of a case, newest first',
        params: CaseMoneyParams,
        querystring: Closed({ ...PageQuery }),
        response: { 200: Page(MoneyActionViewSchema) },
      },
    },
    async (request) => listMoneyActionsOfCasePage(ctx.db, agentOf(request), request.params.caseId, request.query),
  );

  app.get(
    '/money-actions',
    {
      schema: {
        tags,
        summary: 'Money actions by status (default pending_approval, oldest first): the approval queue',
        querystring: ListQuery,
        response: { 200: Page(MoneyActionViewSchema) },
      },
    },
    async (request) => listMoneyActionsByStatus(ctx.db, agentOf(request), request.query),
  );

  for (const decision of ['approve', 'reject'] as MoneyActionDecision[]) {
    app.post(
      `/money-actions/:id/${decision}`,
      {
        schema: {
          tags,
          summary: decision === 'approve' ? 'Approve a money action and execute it' : 'Reject a money action',
          params: MoneyActionParams,
          body: DecisionBody,
          response: { 200: MoneyActionViewSchema },
        },
      },
      async (request) => {
        const actor = agentOf(request);
        return inTransaction(ctx.db, (tx) => decideMoneyAction(tx, ctx, actor, request.params.id, decision, request.body.note));
      },
    );
  }

  app.get(
    '/billing/approval-limits',
    { schema: { tags, summary: 'Approval limits per role and currency (admin)', response: { 200: LimitsView } } },
    async (request) => getApprovalLimits(ctx.db, agentOf(request)),
  );

  app.put(
    '/billing/approval-limits',
    {
      schema: {
        tags,
        summary: 'Replace the approval limits (admin; audited)',
        body: LimitsBody,
        response: { 200: LimitsView },
      },
    },
    async (request) => {
      const actor = agentOf(request);
      return inTransaction(ctx.db, (tx) => replaceApprovalLimits(tx, actor, request.body.limits));
    },
  );
}
