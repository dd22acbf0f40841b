import { expect } from 'vitest';
import { createAgent, createWorkspace, unique, type TestAgent, type TestWorkspace } from '../../test/factories.js';
import { getTestApp, getTestContext } from '../../test/harness.js';
import type { CustomerView } from './view.js';

/** Shared setup of the customers tests: a fresh workspace with an agent and a supervisor. */
export async function customerWorld(): Promise<{
  workspace: TestWorkspace;
  agent: TestAgent;
  supervisor: TestAgent;
  app: Awaited<ReturnType<typeof getTestApp>>;
}> {
  const app = await getTestApp();
  const workspace = await createWorkspace();
  const agent = await createAgent(workspace);
  const supervisor = await createAgent(workspace, { role: 'supervisor' });
  return { workspace, agent, supervisor, app };
}

export const uniqueEmail = (prefix = 'c') => `${unique(prefix)}@example.test`;

export async function postCustomer(
  agent: TestAgent,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<CustomerView> {
  const app = await getTestApp();
  const res = await app.inject({ method: 'POST', url: '/api/v1/customers', headers: { ...agent.headers, ...headers }, payload: body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<CustomerView>();
}

/** A case row written directly (the cases module's create flow is not under test here). */
export async function insertCase(workspaceId: string, customerId: string, number: number): Promise<string> {
  const { db } = await getTestContext();
  const row = await db
    .insertInto('cases')
    .values({ workspace_id: workspaceId, number, subject: `Case ${number}`, channel: 'email', customer_id: customerId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface ErrorResponseBody {
  error: {
    code: string;
    message: string;
    details: { field?: string; fields: { field: string; problem: string }[]; [key: string]: unknown };
  };
}
export interface PageBody<T> {
  data: T[];
  next_cursor: string | null;
}

/** The error of an API response, typed for assertions. */
export const errorOf = (res: { json: <T>() => T }) => res.json<ErrorResponseBody>().error;
