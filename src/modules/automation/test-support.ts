import { expect } from 'vitest';
import type { AppContext } from '../../context.js';
import { OutboxRelay } from '../../platform/outbox-relay.js';
import { createAgent, createTeam, createWorkspace, unique } from '../../test/factories.js';
import { getTestApp, getTestContext } from '../../test/harness.js';
import { createCase, type CreateCaseInput } from '../cases/service.js';
import { createCustomer } from '../customers/service.js';
import { emailDomainListeners } from '../email/outbound/index.js';
import { triggerListener } from './trigger-listener.js';

/** Helpers of the automation tests (imported by *.test.ts only). */

export async function automationWorld() {
  const app = await getTestApp();
  const ctx = await getTestContext();
  const workspace = await createWorkspace();
  const admin = await createAgent(workspace, { role: 'admin', name: 'Ada Admin' });
  const agent = await createAgent(workspace, { role: 'agent', name: 'Alex Agent' });
  const supervisor = await createAgent(workspace, { role: 'supervisor', name: 'Sam Supervisor' });
  const team = await createTeam(workspace, { memberIds: [admin.id, agent.id], queues: [{ name: 'Billing', categories: ['billing'] }] });
  // The mailbox row is written directly: the mailbox API is another module's.
  const mailbox = await ctx.db
    .insertInto('mailboxes')
    .values({ workspace_id: workspace.id, address: `${unique('support')}@acme.test`, name: 'Acme Support', category: 'general' })
    .returning(['id', 'address'])
    .executeTakeFirstOrThrow();
  const email = `${unique('casey')}@customer.test`;
  const customer = await createCustomer(ctx.db, workspace.system, { name: 'Casey Customer', emails: [email], tags: ['vip'] });
  return { app, ctx, db: ctx.db, workspace, admin, agent, supervisor, team, mailbox, customerId: customer.id, customerEmail: email };
}
export type AutomationWorld = Awaited<ReturnType<typeof automationWorld>>;

/** Relays every pending domain event to the triggers and the email listeners, as a worker does, until none is left. */
export async function relay(ctx: AppContext): Promise<void> {
  const outbox = new OutboxRelay(ctx.database, [...emailDomainListeners(ctx), triggerListener(ctx)], ctx.logger);
  for (let pass = 0; pass < 10; pass++) {
    await outbox.drain();
    const pending = await ctx.db
      .selectFrom('domain_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('published_at', 'is', null)
      .executeTakeFirstOrThrow();
    if (Number(pending.n) === 0) return;
  }
}

export async function openCase(world: AutomationWorld, input: Partial<CreateCaseInput> = {}) {
  const kase = await createCase(world.db, world.workspace.system, {
    customerId: world.customerId,
    subject: unique('Charged twice'),
    category: 'billing',
    channel: 'email',
    assigneeId: null,
    message: { bodyText: 'I was charged twice for March.', authorType: 'customer' },
    ...input,
  });
  await relay(world.ctx);
  return kase;
}

export async function postTrigger(world: AutomationWorld, body: Record<string, unknown>) {
  const res = await world.app.inject({
    method: 'POST',
    url: '/api/v1/triggers',
    headers: world.admin.headers,
    payload: { name: unique('Trigger'), ...body },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string; version: number; position: number; webhook_secret?: string }>();
}

export async function runsOf(world: AutomationWorld, caseId: string) {
  const res = await world.app.inject({
    method: 'GET',
    url: `/api/v1/cases/${caseId}/automation-runs?limit=100`,
    headers: world.agent.headers,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res
    .json<{
      data: {
        rule_id: string;
        rule_name: string;
        outcome: string;
        skip_reason: string | null;
        depth: number;
        event_type: string;
        action_results: { type: string; ok: boolean; error?: string }[];
      }[];
    }>()
    .data.reverse();
}

export async function caseRow(world: AutomationWorld, caseId: string) {
  return world.db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();
}
