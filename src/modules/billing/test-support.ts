import { expect } from 'vitest';
import { inTransaction } from '../../db/database.js';
import { createAgent, createWorkspace, unique, type TestAgent, type TestWorkspace } from '../../test/factories.js';
import { getTestApp, getTestContext } from '../../test/harness.js';
import { findOrCreateCustomerByEmail } from '../customers/service.js';
import { upsertBillingAccount, upsertPayment } from './service.js';

/** Helpers of the billing records/state/import tests (imported by *.test.ts only). */

export interface ErrorResponse {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

export const DAY = 86_400_000;

export async function billingWorld() {
  const app = await getTestApp();
  const ctx = await getTestContext();
  const workspace = await createWorkspace();
  const agent = await createAgent(workspace);
  const supervisor = await createAgent(workspace, { role: 'supervisor' });
  const email = `${unique('cust')}@example.test`;
  const { customerId } = await findOrCreateCustomerByEmail(ctx.db, workspace.system, { email, name: 'Bea Billing' });
  return { app, ctx, db: ctx.db, workspace, agent, supervisor, customerId, email };
}

/** A ledger account and a succeeded payment of `amountMinor`. */
export async function accountWithPayment(workspace: TestWorkspace, customerId: string, amountMinor = 5000, currency = 'EUR') {
  const { db } = await getTestContext();
  return inTransaction(db, async (tx) => {
    const account = await upsertBillingAccount(tx, workspace.system, { customerId, source: 'ledger', externalId: null, currency });
    const payment = await upsertPayment(tx, workspace.system, {
      accountId: account.id,
      externalId: unique('ch'),
      amountMinor,
      currency,
      status: 'succeeded',
      methodSummary: 'Visa •••• 4242',
      paidAt: new Date(Date.now() - DAY),
      sourceEventAt: null,
    });
    return { accountId: account.id, paymentId: payment.id };
  });
}

export async function eventsOf(aggregateId: string): Promise<{ type: string; payload: Record<string, unknown> }[]> {
  const { db } = await getTestContext();
  const rows = await db
    .selectFrom('domain_events')
    .select(['type', 'payload'])
    .where('aggregate_id', '=', aggregateId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ type: r.type, payload: r.payload as Record<string, unknown> }));
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

export { createAgent, createWorkspace, unique };
