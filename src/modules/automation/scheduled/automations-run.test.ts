import { beforeAll, describe, expect, it } from 'vitest';
import { unique } from '../../../test/factories.js';
import { getTestApp, getTestContext } from '../../../test/harness.js';
import { updateCase, getCase } from '../../cases/service.js';
import { nextScheduledSlot, SCHEDULED_AUTOMATION_QUEUE, scheduleScheduledAutomations } from './job.js';
import type { PreviewView, RunCounts } from './rule-schemas.js';
import { runScheduledAutomations, runScheduledRule } from './run.js';
import { getScheduledRow } from './store.js';
import {
  ageCase,
  automationWorker,
  automationWorld,
  caseIn,
  HOUR,
  postAutomation,
  runsOf,
  statusOf,
  type AutomationWorld,
} from './test-support.js';

const ruleRow = (world: AutomationWorld, id: string) => getScheduledRow(world.db, world.workspace.system, id, 'automation.read');

// Building the app (every module's routes) is the slow part: done once, under the hook timeout.
beforeAll(async () => {
  await getTestApp();
});

describe('running scheduled automations', () => {
  it('closes a case solved 5 days ago, leaves one solved 2 days ago and open ones, and acts once per case', async () => {
    const world = await automationWorld();
    const rule = await postAutomation(world, { name: 'Close solved cases after 4 days' });
    const old = await caseIn(world, ['open', 'solved']);
    const recent = await caseIn(world, ['open', 'solved']);
    const openOld = await caseIn(world, ['open']);
    await ageCase(world, old, 5 * 24);
    await ageCase(world, recent, 2 * 24);
    await ageCase(world, openOld, 10 * 24);

    await runScheduledAutomations(world.ctx);
    expect(await statusOf(world, old)).toBe('closed');
    expect(await statusOf(world, recent)).toBe('solved');
    expect(await statusOf(world, openOld)).toBe('open');

    const runs = await runsOf(world, rule.id);
    expect(runs).toMatchObject([
      { case_id: old, rule_kind: 'automation', rule_name: 'Close solved cases after 4 days', outcome: 'applied' },
    ]);
    expect(runs[0]!.action_results).toMatchObject([{ type: 'set_status', ok: true }]);
    const closed = await getCase(world.db, world.workspace.system, old);
    expect(closed.closed_at).not.toBeNull();

    // The next run finds nothing more to do; two days later the other case is due.
    await runScheduledAutomations(world.ctx);
    expect(await runsOf(world, rule.id)).toHaveLength(1);
    await runScheduledAutomations(world.ctx, { now: new Date(Date.now() + 3 * 24 * HOUR) });
    expect(await statusOf(world, recent)).toBe('closed');
    expect(await runsOf(world, rule.id)).toHaveLength(2);
    expect((await ruleRow(world, rule.id)).last_run_at).not.toBeNull();
  });

  it('acts on a case again only after the case changed since (a rule that does not undo its own conditions)', async () => {
    const world = await automationWorld();
    const rule = await postAutomation(world, {
      conditions: {
        all: [
          { field: 'status', operator: 'is', value: 'pending' },
          { field: 'hours_since_updated', operator: 'gt', value: 48 },
        ],
        any: [],
      },
      actions: [{ type: 'send_message', visibility: 'internal', body: 'Waiting on the customer for 2 days.' }],
    });
    const kase = await caseIn(world, ['pending']);
    await ageCase(world, kase, 72);
    const first = await runScheduledRule(world.ctx, await ruleRow(world, rule.id));
    expect(first).toMatchObject({ matched: 1, acted: 1, already_acted: 0 });
    const second = await runScheduledRule(world.ctx, await ruleRow(world, rule.id), { now: new Date(Date.now() + 72 * HOUR) });
    expect(second).toMatchObject({ matched: 1, acted: 0, already_acted: 1 });
    expect(await runsOf(world, rule.id)).toHaveLength(1);

    // An agent changes the case; once it is again 48 hours untouched the rule acts once more.
    const current = await getCase(world.db, world.workspace.system, kase);
    await updateCase(world.db, world.agent.actor, kase, { version: current.version, priority: 'high' });
    const third = await runScheduledRule(world.ctx, await ruleRow(world, rule.id), { now: new Date(Date.now() + 72 * HOUR) });
    expect(third).toMatchObject({ acted: 1 });
    expect(await runsOf(world, rule.id)).toHaveLength(2);
  });

  it('never acts twice on a case when two runs go at the same time', async () => {
    const world = await automationWorld();
    const rule = await postAutomation(world, {
      actions: [
        { type: 'send_message', visibility: 'internal', body: 'Closing: solved for 4 days.' },
        { type: 'set_status', status: 'closed' },
      ],
    });
    const cases = await Promise.all([1, 2, 3, 4].map(() => caseIn(world, ['open', 'solved'])));
    for (const id of cases) await ageCase(world, id, 5 * 24);
    const row = await ruleRow(world, rule.id);
    const [a, b] = await Promise.all([runScheduledRule(world.ctx, row), runScheduledRule(world.ctx, row)]);
    expect(a.acted + b.acted).toBe(4);
    const runs = await runsOf(world, rule.id);
    expect(runs.map((r) => r.case_id).sort()).toEqual([...cases].sort());
    for (const id of cases) expect(await statusOf(world, id)).toBe('closed');
    const notes = await world.db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('case_id', 'in', cases)
      .where('body_text', '=', 'Closing: solved for 4 days.')
      .executeTakeFirstOrThrow();
    expect(Number(notes.n)).toBe(4);
  });

  it('stops at the per-run bound and resumes where it stopped', async () => {
    const world = await automationWorld();
    const rule = await postAutomation(world);
    const cases = await Promise.all([1, 2, 3].map(() => caseIn(world, ['open', 'solved'])));
    for (const id of cases) await ageCase(world, id, 5 * 24);
    const first = await runScheduledRule(world.ctx, await ruleRow(world, rule.id), { maxActs: 2 });
    expect(first).toMatchObject({ acted: 2, more: true });
    const second = await runScheduledRule(world.ctx, await ruleRow(world, rule.id), { maxActs: 2 });
    expect(second).toMatchObject({ acted: 1, more: false });
    for (const id of cases) expect(await statusOf(world, id)).toBe('closed');
  });

  it('skips disabled rules in the job, runs rules in position order', async () => {
    const world = await automationWorld();
    const tagFirst = await postAutomation(world, {
      conditions: {
        all: [
          { field: 'status', operator: 'is', value: 'open' },
          { field: 'hours_since_created', operator: 'gt', value: 24 },
        ],
        any: [],
      },
      actions: [{ type: 'add_tags', tags: ['stale'] }],
    });
    const thenEscalate = await postAutomation(world, {
      conditions: {
        all: [
          { field: 'tags', operator: 'includes', value: 'stale' },
          { field: 'hours_since_created', operator: 'gt', value: 24 },
        ],
        any: [],
      },
      actions: [{ type: 'set_priority', priority: 'urgent' }],
    });
    const disabled = await postAutomation(world, {
      enabled: false,
      actions: [{ type: 'add_tags', tags: ['never'] }],
      conditions: {
        all: [{ field: 'hours_since_created', operator: 'gt', value: 1 }],
        any: [],
      },
    });
    const kase = await caseIn(world, ['open']);
    await ageCase(world, kase, 30);
    await runScheduledAutomations(world.ctx);
    const after = await getCase(world.db, world.workspace.system, kase);
    expect(after.tags).toEqual(['stale']);
    expect(after.priority).toBe('urgent');
    expect(await runsOf(world, tagFirst.id)).toHaveLength(1);
    expect(await runsOf(world, thenEscalate.id)).toHaveLength(1);
    expect(await runsOf(world, disabled.id)).toHaveLength(0);
  });

  it('previews matching cases without changing them, and runs now on request (admin)', async () => {
    const world = await automationWorld();
    const rule = await postAutomation(world, { enabled: false });
    const due = await caseIn(world, ['open', 'solved']);
    const notDue = await caseIn(world, ['open', 'solved']);
    await ageCase(world, due, 100);
    await ageCase(world, notDue, 10);

    const preview = await world.app.inject({ method: 'GET', url: `/api/v1/automations/${rule.id}/preview`, headers: world.agent.headers });
    expect(preview.statusCode, preview.body).toBe(200);
    const body = preview.json<PreviewView>();
    expect(body.data.map((c) => c.id)).toEqual([due]);
    expect(body.data[0]).toMatchObject({ status: 'solved', already_acted: false });
    expect(body.truncated).toBe(false);
    expect(await statusOf(world, due)).toBe('solved');

    const byAgent = await world.app.inject({ method: 'POST', url: `/api/v1/automations/${rule.id}/run`, headers: world.agent.headers });
    expect(byAgent.statusCode).toBe(403);
    const run = await world.app.inject({ method: 'POST', url: `/api/v1/automations/${rule.id}/run`, headers: world.admin.headers });
    expect(run.statusCode, run.body).toBe(200);
    expect(run.json<RunCounts>()).toMatchObject({ matched: 1, acted: 1, failed: 0, already_acted: 0, more: false });
    expect(await statusOf(world, due)).toBe('closed');
    expect(await statusOf(world, notDue)).toBe('solved');
    const again = await world.app.inject({ method: 'GET', url: `/api/v1/automations/${rule.id}/preview`, headers: world.admin.headers });
    expect(again.json<PreviewView>().data).toEqual([]);
  });

  it('records a case whose actions all fail once, and does not retry it until the case changes', async () => {
    const world = await automationWorld();
    // Closing needs "solved" first: from pending the transition is refused.
    const rule = await postAutomation(world, {
      conditions: {
        all: [
          { field: 'status', operator: 'is', value: 'pending' },
          { field: 'hours_since_updated', operator: 'gt', value: 1 },
        ],
        any: [],
      },
      actions: [{ type: 'set_status', status: 'closed' }],
    });
    const kase = await caseIn(world, ['pending']);
    await ageCase(world, kase, 5);
    const first = await runScheduledRule(world.ctx, await ruleRow(world, rule.id));
    expect(first).toMatchObject({ acted: 0, failed: 1 });
    const runs = await runsOf(world, rule.id);
    expect(runs[0]!.action_results).toMatchObject([{ type: 'set_status', ok: false, error: 'case.illegal_transition' }]);
    const second = await runScheduledRule(world.ctx, await ruleRow(world, rule.id));
    expect(second).toMatchObject({ failed: 0, already_acted: 1 });
  });
});

describe('the scheduled automation job', () => {
  it('runs a slot that fell due while no worker ran exactly once, and schedules the next slot', async () => {
    const world = await automationWorld();
    await postAutomation(world, { name: unique('Close') });
    const kase = await caseIn(world, ['open', 'solved']);
    await ageCase(world, kase, 5 * 24);
    const ctx = await getTestContext();
    const missed = new Date(nextScheduledSlot().getTime() - 4 * 15 * 60_000);
    // The last worker queued its next slot and stopped; two processes now start and schedule theirs.
    await scheduleScheduledAutomations(ctx.db, missed);
    await scheduleScheduledAutomations(ctx.db);
    await scheduleScheduledAutomations(ctx.db);
    const [one, two] = [await automationWorker(), await automationWorker()];
    const ran = await Promise.all([one.runDue(), two.runDue()]);
    expect(ran[0] + ran[1]).toBe(1);
    expect(await statusOf(world, kase)).toBe('closed');
    const jobs = await ctx.db
      .selectFrom('jobs')
      .select(['status', 'run_at'])
      .where('queue', '=', SCHEDULED_AUTOMATION_QUEUE)
      .orderBy('run_at')
      .execute();
    expect(jobs.map((j) => j.status)).toEqual(['done', 'queued']);
    expect(jobs[1]!.run_at.getTime()).toBe(nextScheduledSlot().getTime());
  });
});
