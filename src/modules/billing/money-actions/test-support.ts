import { expect } from 'vitest';
import type { AppContext } from '../../../context.js';
import { createAgent, createWorkspace, unique, type TestAgent, type TestWorkspace } from '../../../test/factories.js';
import { getTestApp, getTestContext } from '../../../test/harness.js';
import { JobWorker } from '../../../platform/jobs.js';
import { findOrCreateCustomerByEmail } from '../../customers/service.js';
import type { InvoiceLineInput } from '../service.js';
import { upsertBillingAccount, upsertInvoice, upsertPayment } from '../service.js';
import { executeMoneyActionJob } from './execute.js';
import type { MoneyActionView } from './views.js';

/** Helpers of the money-action tests (imported by *.test.ts only). Billing rows come from A's records API. */

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

export interface MoneyWorld {
  ctx: AppContext;
  app: Awaited<ReturnType<typeof getTestApp>>;
  workspace: TestWorkspace;
  agent: TestAgent;
  otherAgent: TestAgent;
  supervisor: TestAgent;
  admin: TestAgent;
  customerId: string;
  caseId: string;
  /** The customer's EUR account. */
  accountId: string;
}

export async function newCustomer(workspace: TestWorkspace, name = 'Pat Payer'): Promise<string> {
  const { db } = await getTestContext();
  const { customerId } = await findOrCreateCustomerByEmail(db, workspace.system, { email: `${unique('payer')}@example.test`, name });
  return customerId;
}

export async function newCase(agent: TestAgent, customerId: string): Promise<string> {
  const app = await getTestApp();
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/cases',
    headers: agent.headers,
    payload: { customer_id: customerId, subject: 'Charged twice', category: 'billing', message: { body: 'Please refund one.' } },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>().id;
}

export async function moneyWorld(): Promise<MoneyWorld> {
  const app = await getTestApp();
  const ctx = await getTestContext();
  const workspace = await createWorkspace();
  const agent = await createAgent(workspace, { name: 'Avery Agent' });
  const otherAgent = await createAgent(workspace, { name: 'Olly Agent' });
  const supervisor = await createAgent(workspace, { role: 'supervisor', name: 'Sam Supervisor' });
  const admin = await createAgent(workspace, { role: 'admin', name: 'Ada Admin' });
  const customerId = await newCustomer(workspace);
  const caseId = await newCase(agent, customerId);
  const accountId = await addAccount(workspace, customerId, 'EUR');
  return { ctx, app, workspace, agent, otherAgent, supervisor, admin, customerId, caseId, accountId };
}

export async function addAccount(workspace: TestWorkspace, customerId: string, currency: string, externalId: string | null = null) {
  const { db } = await getTestContext();
  const source = externalId ? 'stripe' : 'ledger';
  return (await upsertBillingAccount(db, workspace.system, { customerId, source, externalId, currency })).id;
}

export async function addPayment(
  workspace: TestWorkspace,
  accountId: string,
  amountMinor: number,
  currency = 'EUR',
  options: { status?: 'succeeded' | 'failed' | 'pending'; externalId?: string } = {},
): Promise<string> {
  const { db } = await getTestContext();
  const result = await upsertPayment(db, workspace.system, {
    accountId,
    externalId: options.externalId ?? unique('pay'),
    amountMinor,
    currency,
    status: options.status ?? 'succeeded',
    paidAt: new Date(),
    sourceEventAt: null,
  });
  return result.id;
}

export async function addInvoice(
  workspace: TestWorkspace,
  accountId: string,
  options: { totalMinor: number; amountPaidMinor?: number; currency?: string; lines?: InvoiceLineInput[] },
): Promise<string> {
  const { db } = await getTestContext();
  const result = await upsertInvoice(db, workspace.system, {
    accountId,
    externalId: unique('inv'),
    number: unique('INV'),
    status: 'open',
    currency: options.currency ?? 'EUR',
    totalMinor: options.totalMinor,
    amountPaidMinor: options.amountPaidMinor ?? 0,
    issuedAt: new Date(),
    dueAt: null,
    paidAt: null,
    lines: options.lines,
    sourceEventAt: null,
  });
  return result.id;
}

export async function postMoneyAction(agent: TestAgent, caseId: string, body: Record<string, unknown>, key?: string) {
  const app = await getTestApp();
  return app.inject({
    method: 'POST',
    url: `/api/v1/cases/${caseId}/money-actions`,
    headers: { ...agent.headers, ...(key ? { 'idempotency-key': key } : {}) },
    payload: { reason: 'Charged twice for the same order', ...body },
  });
}

/** Posts and expects 201. */
export async function requestAction(
  agent: TestAgent,
  caseId: string,
  body: Record<string, unknown>,
  key?: string,
): Promise<MoneyActionView> {
  const res = await postMoneyAction(agent, caseId, body, key);
  expect(res.statusCode, res.body).toBe(201);
  return res.json<MoneyActionView>();
}

export async function decide(agent: TestAgent, id: string, decision: 'approve' | 'reject', note?: string) {
  const app = await getTestApp();
  return app.inject({
    method: 'POST',
    url: `/api/v1/money-actions/${id}/${decision}`,
    headers: agent.headers,
    payload: note === undefined ? {} : { note },
  });
}

export const errorCode = (res: { json: <T>() => T }) => res.json<ErrorBody>().error.code;

export async function paymentRow(id: string) {
  const { db } = await getTestContext();
  return db.selectFrom('billing_payments').select(['amount_minor', 'refunded_minor']).where('id', '=', id).executeTakeFirstOrThrow();
}

export async function refundsOf(paymentId: string) {
  const { db } = await getTestContext();
  return db
    .selectFrom('billing_refunds')
    .select(['id', 'status', 'amount_minor', 'money_action_id', 'external_id'])
    .where('payment_id', '=', paymentId)
    .orderBy('created_at')
    .execute();
}

export async function caseEventsOf(caseId: string) {
  const { db } = await getTestContext();
  return db
    .selectFrom('case_events')
    .select(['type', 'data', 'actor_type', 'actor_id'])
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute();
}

export async function moneyActionEventTypes(caseId: string): Promise<string[]> {
  return (await caseEventsOf(caseId)).map((e) => e.type).filter((t) => t.startsWith('money_action_'));
}

/** Runs the due money-action jobs once at `now` (a later time makes retries due), as the worker does. */
export async function runMoneyActionJobs(now?: Date): Promise<number> {
  const ctx = await getTestContext();
  const worker = new JobWorker(ctx.db, ctx.logger);
  worker.register(executeMoneyActionJob(ctx));
  return worker.runDue(now);
}
