import type { AppContext } from '../../../context.js';
import { agentOf } from '../../../http/authenticate.js';
import { idempotencyGuard } from '../../../http/idempotency-guard.js';
import { IdempotencyHeaders } from '../../../http/schemas.js';
import type { ApiApp } from '../../../http/server.js';
import { inTransaction } from '../../../db/database.js';
import { withIdempotency } from '../../../platform/idempotency.js';
import {
  AccountViewSchema,
  InvoiceViewSchema,
  PaymentViewSchema,
  RefundViewSchema,
  SubscriptionViewSchema,
  invoiceView,
  paymentView,
} from '../state/views.js';
import { getInvoice } from './invoices.js';
import { enterAccount, enterInvoice, enterPayment, enterPaymentStatus, enterRefund, enterSubscription } from './ledger-entry.js';
import {
  CreateAccountBody,
  CreateInvoiceBody,
  CreatePaymentBody,
  CreateRefundBody,
  CreateSubscriptionBody,
  IdParams,
  PatchPaymentBody,
} from './ledger-schemas.js';
import { getPayment } from './payments.js';

const tags = ['billing'];
const WRITE = 'Supervisor or admin (billing.write). Money is integer minor units with an ISO 4217 currency.';

export function ledgerRoutes(app: ApiApp, ctx: AppContext): void {
  app.post(
    '/billing/accounts',
    {
      schema: {
        tags,
        summary: 'Record a billing account of a customer (ledger)',
        description: `${WRITE} Without external_id, one ledger account per customer and currency: posting again returns it (200).`,
        headers: IdempotencyHeaders,
        body: CreateAccountBody,
        response: { 201: AccountViewSchema, 200: AccountViewSchema },
      },
    },
    async (request, reply) => {
      const actor = agentOf(request);
      const result = await withIdempotency(ctx.db, idempotencyGuard(request, actor), async (tx) => {
        const { account, created } = await enterAccount(tx, actor, request.body);
        return { statusCode: created ? 201 : 200, body: account };
      });
      return reply.code(result.statusCode === 200 ? 200 : 201).send(result.body);
    },
  );

  app.post(
    '/billing/subscriptions',
    {
      schema: {
        tags,
        summary: 'Record a subscription (ledger)',
        description: `${WRITE} Posting an existing external_id again updates that subscription.`,
        headers: IdempotencyHeaders,
        body: CreateSubscriptionBody,
        response: { 201: SubscriptionViewSchema },
      },
    },
    async (request, reply) => {
      const actor = agentOf(request);
      const result = await withIdempotency(ctx.db, idempotencyGuard(request, actor), async (tx) => ({
        statusCode: 201,
        body: await enterSubscription(tx, actor, request.body),
      }));
      return reply.code(201).send(result.body);
    },
  );

  app.post(
    '/billing/invoices',
    {
      schema: {
        tags,
        summary: 'Record an invoice with its lines (ledger)',
        description: `${WRITE} amount_due = total - paid - waived, never below zero. Numbers are unique per workspace (409 billing.invoice_number_taken).`,
        headers: IdempotencyHeaders,
        body: CreateInvoiceBody,
        response: { 201: InvoiceViewSchema },
      },
    },
    async (request, reply) => {
      const actor = agentOf(request);
      const result = await withIdempotency(ctx.db, idempotencyGuard(request, actor), async (tx) => ({
        statusCode: 201,
        body: await enterInvoice(tx, actor, request.body),
      }));
      return reply.code(201).send(result.body);
    },
  );

  app.post(
    '/billing/payments',
    {
      schema: {
        tags,
        summary: 'Record a payment (ledger)',
        description: `${WRITE} A failed payment emits billing.payment_failed (outreach and triage react to it).`,
        headers: IdempotencyHeaders,
        body: CreatePaymentBody,
        response: { 201: PaymentViewSchema },
      },
    },
    async (request, reply) => {
      const actor = agentOf(request);
      const result = await withIdempotency(ctx.db, idempotencyGuard(request, actor), async (tx) => ({
        statusCode: 201,
        body: await enterPayment(tx, actor, request.body),
      }));
      return reply.code(201).send(result.body);
    },
  );

  app.patch(
    '/billing/payments/:id',
    {
      schema: {
        tags,
        summary: 'Change a payment status (ledger), e.g. a bounced payment becomes failed',
        description: `${WRITE} A payment with refunds must stay succeeded (422 billing.payment_has_refunds).`,
        params: IdParams,
        body: PatchPaymentBody,
        response: { 200: PaymentViewSchema },
      },
    },
    async (request) => {
      const actor = agentOf(request);
      return inTransaction(ctx.db, (tx) => enterPaymentStatus(tx, actor, request.params.id, request.body));
    },
  );

  app.post(
    '/billing/refunds',
    {
      schema: {
        tags,
        summary: 'Record a refund of a payment (ledger)',
        description: `${WRITE} More than the payment's refundable amount is refused by the database: 422 billing.refund_exceeds_payment.`,
        headers: IdempotencyHeaders,
        body: CreateRefundBody,
        response: { 201: RefundViewSchema },
      },
    },
    async (request, reply) => {
      const actor = agentOf(request);
      const result = await withIdempotency(ctx.db, idempotencyGuard(request, actor), async (tx) => ({
        statusCode: 201,
        body: await enterRefund(tx, actor, request.body),
      }));
      return reply.code(201).send(result.body);
    },
  );

  app.get(
    '/billing/invoices/:id',
    { schema: { tags, summary: 'One invoice with its lines', params: IdParams, response: { 200: InvoiceViewSchema } } },
    async (request) => {
      const invoice = await getInvoice(ctx.db, agentOf(request), request.params.id);
      return invoiceView(invoice, invoice.lines);
    },
  );

  app.get(
    '/billing/payments/:id',
    { schema: { tags, summary: 'One payment (refunded and refundable amounts)', params: IdParams, response: { 200: PaymentViewSchema } } },
    async (request) => paymentView(await getPayment(ctx.db, agentOf(request), request.params.id)),
  );
}
