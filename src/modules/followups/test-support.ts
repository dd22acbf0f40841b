import { sql } from 'kysely';
import { expect } from 'vitest';
import type { AppContext } from '../../context.js';
import { JobWorker } from '../../platform/jobs.js';
import { OutboxRelay } from '../../platform/outbox-relay.js';
import { createAgent, createTeam, createWorkspace, unique, type TestAgent } from '../../test/factories.js';
import { getTestApp, getTestContext } from '../../test/harness.js';
import { createCase, getCase, listCaseEvents, type CreateCaseInput } from '../cases/service.js';
import { findOrCreateCustomerByEmail } from '../customers/service.js';
import { realtimePublisher } from '../realtime/service.js';
import { slaCaseListener } from '../sla/service.js';
import { followupCaseListener } from './listener.js';
import { followupTimerJob } from './timer-job.js';
import { DAY_MS, FOLLOWUP_TIMER_QUEUE } from './timers.js';

/** Test support of the follow-ups module: a workspace with people and a mailbox, the relay and the timer worker. */

export { DAY_MS };
export const MINUTE = 60_000;

export async function followupWorld() {
  const app = await getTestApp();
  const ctx = await getTestContext();
  const workspace = await createWorkspace();
  const admin = await createAgent(workspace, { role: 'admin' });
  const agent = await createAgent(workspace, { role: 'agent' });
  const other = await createAgent(workspace, { role: 'agent' });
  const supervisor = await createAgent(workspace, { role: 'supervisor' });
  const team = await createTeam(workspace, {
    memberIds: [admin.id, agent.id, other.id],
    queues: [{ name: 'Billing', categories: ['billing'] }],
  });
  const email = `${unique('cust')}@example.test`;
  const { customerId } = await findOrCreateCustomerByEmail(ctx.db, workspace.system, { email, name: 'Casey Customer' });
  await ctx.db
    .insertInto('mailboxes')
    .values({ workspace_id: workspace.id, address: `${unique('support')}@baton.test`, name: 'Support', category: 'billing' })
    .execute();
  return { app, ctx, db: ctx.db, workspace, admin, agent, other, supervisor, team, customerId, email };
}
export type FollowupWorld = Awaited<ReturnType<typeof followupWorld>>;

/** Hands pending domain events to the SLA, follow-up and realtime listeners, as the worker's relay does. */
export async function relay(ctx: AppContext): Promise<void> {
  await new OutboxRelay(ctx.database, [slaCaseListener(), followupCaseListener(), realtimePublisher()], ctx.logger).drain();
}

/** A job worker running only the follow-up timers. */
export function timerWorker(ctx: AppContext): JobWorker {
  const worker = new JobWorker(ctx.db, ctx.logger);
  worker.register(followupTimerJob(ctx));
  return worker;
}

/** Runs the follow-up jobs due at `at`, then relays what they changed. */
export async function runTimers(world: FollowupWorld, at: Date): Promise<number> {
  const ran = await timerWorker(world.ctx).runDue(at);
  await relay(world.ctx);
  return ran;
}

export async function openCase(world: FollowupWorld, input: Partial<CreateCaseInput> = {}) {
  const kase = await createCase(world.db, world.workspace.system, {
    customerId: world.customerId,
    subject: unique('Charged twice'),
    category: 'billing',
    channel: 'email',
    teamId: world.team.id,
    assigneeId: world.agent.id,
    message: { bodyText: 'I was charged twice for March.', authorType: 'customer' },
    ...input,
  });
  await relay(world.ctx);
  return kase;
}

export async function caseNow(world: FollowupWorld, caseId: string) {
  return getCase(world.db, world.admin.actor, caseId);
}

export async function historyTypes(world: FollowupWorld, caseId: string, types: string[]): Promise<string[]> {
  return (await listCaseEvents(world.db, world.admin.actor, caseId)).filter((e) => types.includes(e.type)).map((e) => e.type);
}

export async function historyOf(world: FollowupWorld, caseId: string, type: string) {
  return (await listCaseEvents(world.db, world.admin.actor, caseId)).filter((e) => e.type === type);
}

export async function jobsOf(world: FollowupWorld, caseId: string): Promise<Record<string, number>> {
  const rows = await world.db
    .selectFrom('jobs')
    .select(['status'])
    .where('queue', '=', FOLLOWUP_TIMER_QUEUE)
    .where(sql<boolean>`payload->>'case_id' = ${caseId}`)
    .execute();
  const out: Record<string, number> = {};
  for (const r of rows) out[r.status] = (out[r.status] ?? 0) + 1;
  return out;
}

export async function outreachMail(world: FollowupWorld, caseId: string) {
  return world.db
    .selectFrom('outbound_mail')
    .select(['kind', 'subject', 'body_text', 'to_addresses', 'auto_submitted', 'message_id', 'recipient_agent_id'])
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .execute();
}

export async function publicSystemMessages(world: FollowupWorld, caseId: string) {
  return world.db
    .selectFrom('messages')
    .select(['body_text', 'channel', 'metadata'])
    .where('case_id', '=', caseId)
    .where('author_type', '=', 'system')
    .where('visibility', '=', 'public')
    .orderBy('created_at')
    .execute();
}

export async function setStatus(world: FollowupWorld, who: TestAgent, caseId: string, status: string) {
  const kase = await caseNow(world, caseId);
  const res = await world.app.inject({
    method: 'PATCH',
    url: `/api/v1/cases/${caseId}`,
    headers: who.headers,
    payload: { version: kase.version, status },
  });
  expect(res.statusCode, res.body).toBe(200);
  await relay(world.ctx);
}

export async function customerWrites(world: FollowupWorld, caseId: string, body = 'Here is the answer.') {
  const { addMessage } = await import('../cases/service.js');
  await addMessage(world.db, world.workspace.system, caseId, { bodyText: body, visibility: 'public', authorType: 'customer' });
  await relay(world.ctx);
}

export async function putSettings(world: FollowupWorld, path: string, body: Record<string, unknown>, expected = 200) {
  const res = await world.app.inject({
    method: 'PUT',
    url: `/api/v1/followup-settings/${path}`,
    headers: world.admin.headers,
    payload: body,
  });
  expect(res.statusCode, res.body).toBe(expected);
  return res;
}

export const days = (n: number) => n * DAY_MS;
