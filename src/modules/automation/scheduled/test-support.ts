import { sql } from 'kysely';
import { expect } from 'vitest';
import { inTransaction } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { JobWorker } from '../../../platform/jobs.js';
import { createAgent, createWorkspace, unique, type TestAgent } from '../../../test/factories.js';
import { getTestApp, getTestContext } from '../../../test/harness.js';
import { createCase, getCase, updateCase } from '../../cases/service.js';
import type { CaseStatus } from '../../cases/schema.js';
import { scheduledAutomationJob } from './job.js';
import type { ScheduledView } from './rule-schemas.js';

/** Test support of scheduled automations (imported by *.test.ts only). */

export const HOUR = 3_600_000;

export async function automationWorld() {
  const app = await getTestApp();
  const ctx = await getTestContext();
  const workspace = await createWorkspace();
  const admin = await createAgent(workspace, { role: 'admin' });
  const agent = await createAgent(workspace, { role: 'agent' });
  const customer = await ctx.db
    .insertInto('customers')
    .values({ workspace_id: workspace.id, name: 'Casey Customer' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { app, ctx, db: ctx.db, workspace, admin, agent, customerId: customer.id };
}
export type AutomationWorld = Awaited<ReturnType<typeof automationWorld>>;

/** Zendesk's default automation: solved for more than 4 days -> closed. */
export const closeAfterFourDays = {
  conditions: {
    all: [
      { field: 'status', operator: 'is', value: 'solved' },
      { field: 'hours_since_status_change', operator: 'gt', value: 96 },
    ],
    any: [],
  },
  actions: [{ type: 'set_status', status: 'closed' }],
};

export async function postAutomation(world: AutomationWorld, body: Record<string, unknown> = {}, agent: TestAgent = world.admin) {
  const res = await world.app.inject({
    method: 'POST',
    url: '/api/v1/automations',
    headers: agent.headers,
    payload: { name: unique('Close solved'), ...closeAfterFourDays, ...body },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<ScheduledView>();
}

/** A case of the world's customer, taken through the given statuses by an agent. */
export async function caseIn(world: AutomationWorld, path: CaseStatus[] = [], actor: Actor = world.agent.actor): Promise<string> {
  const kase = await createCase(world.db, world.workspace.system, {
    customerId: world.customerId,
    subject: unique('Where is my refund'),
    category: 'billing',
    channel: 'email',
    message: { bodyText: 'I asked for a refund last week.', authorType: 'customer' },
  });
  let version = kase.version;
  for (const status of path) version = (await updateCase(world.db, actor, kase.id, { version, status })).version;
  return kase.id;
}

/**
 * Moves a case's whole past back by `hours`: its timestamps and its history entries. History is
 * append-only, so its guard trigger is set aside for this one statement (test databases only).
 */
export async function ageCase(world: AutomationWorld, caseId: string, hours: number): Promise<void> {
  const by = `${hours} hours`;
  await inTransaction(world.db, async (tx) => {
    await sql`update cases set created_at = created_at - ${by}::interval, updated_at = updated_at - ${by}::interval,
      last_message_at = last_message_at - ${by}::interval, solved_at = solved_at - ${by}::interval
      where id = ${caseId}`.execute(tx);
    await sql`alter table case_events disable trigger case_events_append_only`.execute(tx);
    await sql`update case_events set created_at = created_at - ${by}::interval where case_id = ${caseId}`.execute(tx);
    await sql`alter table case_events enable trigger case_events_append_only`.execute(tx);
  });
}

export async function statusOf(world: AutomationWorld, caseId: string): Promise<CaseStatus> {
  return (await getCase(world.db, world.workspace.system, caseId)).status;
}

export async function runsOf(world: AutomationWorld, ruleId: string) {
  return world.db.selectFrom('automation_runs').selectAll().where('rule_id', '=', ruleId).orderBy('id').execute();
}

/** A worker running only the scheduled automation job. */
export async function automationWorker(): Promise<JobWorker> {
  const ctx = await getTestContext();
  const worker = new JobWorker(ctx.db, ctx.logger);
  worker.register(scheduledAutomationJob(ctx));
  return worker;
}
