import { expect } from 'vitest';
import type { AppContext } from '../../context.js';
import type { Actor } from '../../platform/actor.js';
import { JobWorker } from '../../platform/jobs.js';
import { OutboxRelay } from '../../platform/outbox-relay.js';
import { createAgent, createTeam, createWorkspace, unique } from '../../test/factories.js';
import { getTestApp, getTestContext } from '../../test/harness.js';
import { createCase, type CreateCaseInput } from '../cases/service.js';
import { slaCaseListener } from './case-listener.js';
import { slaTimerJob } from './timer-job.js';

/** Test support of the SLA module: a workspace with people, the relay and the timer worker as the worker role runs them. */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export const weekdays9to17 = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '09:00', end: '17:00' }]]));

export async function slaWorld() {
  const app = await getTestApp();
  const ctx = await getTestContext();
  const workspace = await createWorkspace();
  const admin = await createAgent(workspace, { role: 'admin' });
  const agent = await createAgent(workspace, { role: 'agent' });
  const supervisor = await createAgent(workspace, { role: 'supervisor' });
  const team = await createTeam(workspace, { memberIds: [admin.id, agent.id], queues: [{ name: 'Billing', categories: ['billing'] }] });
  const escalation = await createTeam(workspace, { memberIds: [supervisor.id], queues: [{ name: 'Escalations', categories: [] }] });
  const customer = await ctx.db
    .insertInto('customers')
    .values({ workspace_id: workspace.id, name: 'Casey Customer', tags: ['vip'] })
    .returning('id')
    .executeTakeFirstOrThrow();
  const plain = await ctx.db
    .insertInto('customers')
    .values({ workspace_id: workspace.id, name: 'Pat Plain' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { app, ctx, db: ctx.db, workspace, admin, agent, supervisor, team, escalation, vipCustomerId: customer.id, customerId: plain.id };
}
export type SlaWorld = Awaited<ReturnType<typeof slaWorld>>;

/** Hands every pending domain event to the SLA listener, as the worker's relay does. */
export async function relaySla(ctx: AppContext): Promise<void> {
  await new OutboxRelay(ctx.database, [slaCaseListener()], ctx.logger).drain();
}

/** A job worker running only the SLA timers (what a worker process registers among others). */
export function timerWorker(ctx: AppContext): JobWorker {
  const worker = new JobWorker(ctx.db, ctx.logger);
  worker.register(slaTimerJob(ctx));
  return worker;
}

export async function openCase(world: SlaWorld, input: Partial<CreateCaseInput> = {}, actor: Actor = world.workspace.system) {
  const kase = await createCase(world.db, actor, {
    customerId: world.customerId,
    subject: unique('Charged twice'),
    category: 'billing',
    channel: 'email',
    teamId: world.team.id,
    assigneeId: world.agent.id,
    message: { bodyText: 'I was charged twice for March.', authorType: 'customer' },
    ...input,
  });
  await relaySla(world.ctx);
  return kase;
}

export async function postPolicy(world: SlaWorld, body: Record<string, unknown>) {
  const res = await world.app.inject({
    method: 'POST',
    url: '/api/v1/sla-policies',
    headers: world.admin.headers,
    payload: { name: unique('Policy'), time_basis: 'calendar', ...body },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string; version: number; position: number }>();
}

export async function postSchedule(world: SlaWorld, body: Record<string, unknown>) {
  const res = await world.app.inject({
    method: 'POST',
    url: '/api/v1/business-hours',
    headers: world.admin.headers,
    payload: { name: unique('Hours'), time_zone: 'Europe/Berlin', weekly: weekdays9to17, ...body },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string }>();
}

export async function targetsOf(world: SlaWorld, caseId: string) {
  return world.db.selectFrom('sla_case_targets').selectAll().where('case_id', '=', caseId).orderBy('metric').execute();
}

export async function targetOf(world: SlaWorld, caseId: string, metric: 'first_reply' | 'next_reply' | 'resolution') {
  return (await targetsOf(world, caseId)).find((t) => t.metric === metric);
}

export async function slaEventsOf(world: SlaWorld, caseId: string) {
  return world.db.selectFrom('sla_events').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
}

export async function eventSummary(world: SlaWorld, caseId: string): Promise<string[]> {
  return (await slaEventsOf(world, caseId)).map((e) => (e.metric ? `${e.type}:${e.metric}` : e.type));
}
