import { expect } from 'vitest';
import { createAgent, createWorkspace, unique, type TestAgent, type TestWorkspace } from '../../test/factories.js';
import { getTestApp, getTestContext } from '../../test/harness.js';
import { findOrCreateCustomerByEmail } from '../customers/service.js';
import type { CaseView, MessageView } from './views.js';

/** Helpers of the cases tests (imported by *.test.ts only). */

/** The error body every endpoint answers with (src/http/error-handler.ts). */
export interface ErrorResponse {
  error: { code: string; message: string; details?: Record<string, unknown> & { fields?: { field: string; problem: string }[] } };
}

/** Matches any string inside expected objects (typed, so lint sees no `any`). */
export const anyText: unknown = expect.any(String);

export type AddMessageResponse = { message: MessageView; case: CaseView };

export async function caseWorld() {
  const app = await getTestApp();
  const ctx = await getTestContext();
  const workspace = await createWorkspace();
  const agent = await createAgent(workspace);
  const customerId = await newCustomer(workspace);
  return { app, ctx, db: ctx.db, workspace, agent, customerId };
}

export async function newCustomer(workspace: TestWorkspace, name = 'Casey Customer'): Promise<string> {
  const { db } = await getTestContext();
  const { customerId } = await findOrCreateCustomerByEmail(db, workspace.system, { email: `${unique('cust')}@example.test`, name });
  return customerId;
}

export async function postCase(
  agent: TestAgent,
  payload: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<CaseView> {
  const app = await getTestApp();
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/cases',
    headers: { ...agent.headers, ...headers },
    payload: { subject: 'My invoice is wrong', message: { body: 'Please check invoice 42.' }, ...payload },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<CaseView>();
}

export async function patchCase(agent: TestAgent, id: string, payload: Record<string, unknown>) {
  const app = await getTestApp();
  return app.inject({ method: 'PATCH', url: `/api/v1/cases/${id}`, headers: agent.headers, payload });
}

export async function getCaseView(agent: TestAgent, ref: string | number): Promise<CaseView> {
  const app = await getTestApp();
  const res = await app.inject({ method: 'GET', url: `/api/v1/cases/${encodeURIComponent(String(ref))}`, headers: agent.headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<CaseView>();
}

export async function postMessage(agent: TestAgent, caseId: string, payload: Record<string, unknown>) {
  const app = await getTestApp();
  return app.inject({ method: 'POST', url: `/api/v1/cases/${caseId}/messages`, headers: agent.headers, payload });
}

export async function messagesOf(agent: TestAgent, caseId: string): Promise<MessageView[]> {
  const app = await getTestApp();
  const res = await app.inject({ method: 'GET', url: `/api/v1/cases/${caseId}/messages?limit=100`, headers: agent.headers });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ data: MessageView[] }>().data;
}

/** Rows of the history and the outbox for some cases (to prove a change wrote both, or neither). */
export async function historyCounts(caseIds: string[]): Promise<{ caseEvents: number; domainEvents: number }> {
  const { db } = await getTestContext();
  const events = await db
    .selectFrom('case_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('case_id', 'in', caseIds)
    .executeTakeFirstOrThrow();
  const domain = await db
    .selectFrom('domain_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('aggregate_type', '=', 'case')
    .where('aggregate_id', 'in', caseIds)
    .executeTakeFirstOrThrow();
  return { caseEvents: Number(events.n), domainEvents: Number(domain.n) };
}

export async function eventTypes(caseId: string): Promise<string[]> {
  const { db } = await getTestContext();
  const rows = await db.selectFrom('case_events').select('type').where('case_id', '=', caseId).orderBy('id').execute();
  return rows.map((r) => r.type);
}

export async function domainEventTypes(caseId: string): Promise<string[]> {
  const { db } = await getTestContext();
  const rows = await db.selectFrom('domain_events').select('type').where('aggregate_id', '=', caseId).orderBy('id').execute();
  return rows.map((r) => r.type);
}
