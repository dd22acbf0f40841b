import { expect } from 'vitest';
import { inTransaction } from '../../db/database.js';
import { createAgent, createWorkspace, unique, type TestAgent, type TestWorkspace } from '../../test/factories.js';
import { getTestApp, getTestContext } from '../../test/harness.js';
import { upsertBillingAccount, upsertInvoice, upsertPayment } from '../billing/service.js';
import { findOrCreateCustomerByEmail } from '../customers/service.js';
import { recordProcessorDispute, type ProcessorDisputeInput } from './record-processor-dispute.js';

/** Helpers of the disputes tests (imported by *.test.ts only). */

export interface ErrorResponse {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

export const DAY = 86_400_000;

export async function disputeWorld(options: { role?: 'agent' | 'supervisor' | 'admin' } = {}) {
  const app = await getTestApp();
  const ctx = await getTestContext();
  const workspace = await createWorkspace();
  const agent = await createAgent(workspace, { role: options.role ?? 'agent' });
  const customerId = await newCustomer(workspace);
  return { app, ctx, db: ctx.db, workspace, agent, customerId };
}

export async function newCustomer(workspace: TestWorkspace, name = 'Dana Disputer'): Promise<string> {
  const { db } = await getTestContext();
  const { customerId } = await findOrCreateCustomerByEmail(db, workspace.system, { email: `${unique('cust')}@example.test`, name });
  return customerId;
}

/** A billing account, a paid invoice and its succeeded card payment for the customer. */
export async function paidInvoice(
  workspace: TestWorkspace,
  customerId: string,
  options: { amountMinor?: number; currency?: string; paidAt?: Date; number?: string } = {},
) {
  const { db } = await getTestContext();
  const amount = options.amountMinor ?? 4990;
  const currency = options.currency ?? 'EUR';
  const paidAt = options.paidAt ?? new Date(Date.now() - 10 * DAY);
  return inTransaction(db, async (tx) => {
    const account = await upsertBillingAccount(tx, workspace.system, {
      customerId,
      source: 'ledger',
      externalId: null,
      currency,
      name: 'Dana Disputer',
    });
    const invoice = await upsertInvoice(tx, workspace.system, {
      accountId: account.id,
      externalId: unique('in'),
      number: options.number ?? unique('INV'),
      status: 'paid',
      currency,
      totalMinor: amount,
      amountPaidMinor: amount,
      amountDueMinor: 0,
      issuedAt: paidAt,
      dueAt: paidAt,
      paidAt,
      lines: [{ description: 'Pro plan, monthly', quantity: 1, unitAmountMinor: amount, amountMinor: amount }],
      sourceEventAt: null,
    });
    const payment = await upsertPayment(tx, workspace.system, {
      accountId: account.id,
      invoiceId: invoice.id,
      externalId: unique('ch'),
      amountMinor: amount,
      currency,
      status: 'succeeded',
      methodSummary: 'Visa •••• 4242',
      paidAt,
      sourceEventAt: null,
    });
    return { accountId: account.id, invoiceId: invoice.id, paymentId: payment.id };
  });
}

export function processorInput(over: Partial<ProcessorDisputeInput> & { customerId: string }): ProcessorDisputeInput {
  return {
    source: 'stripe',
    externalId: unique('dp'),
    chargeExternalId: 'ch_123',
    accountId: null,
    paymentId: null,
    amountMinor: 4990,
    currency: 'eur',
    reason: 'product_not_received',
    networkReasonCode: '13.1',
    status: 'needs_response',
    evidenceDueAt: new Date(Date.now() + 7 * DAY),
    eventAt: new Date(Date.now() - 60_000),
    ...over,
  };
}

export async function recordViaWebhook(workspace: TestWorkspace, input: ProcessorDisputeInput) {
  const { db } = await getTestContext();
  return inTransaction(db, (tx) => recordProcessorDispute(tx, workspace.system, input));
}

export async function api(
  agent: TestAgent,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  payload?: object,
  headers: Record<string, string> = {},
) {
  const app = await getTestApp();
  return app.inject({ method, url: `/api/v1${url}`, headers: { ...agent.headers, ...headers }, ...(payload ? { payload } : {}) });
}

export function expectStatus(res: { statusCode: number; body: string }, status: number) {
  expect(res.statusCode, res.body).toBe(status);
}

export { createAgent, createWorkspace };
