import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { JobWorker } from '../../platform/jobs.js';
import { getTestApp } from '../../test/harness.js';
import { createReminder } from './reminders.js';
import { snoozeCase } from './snooze.js';
import { followupTimerJob } from './timer-job.js';
import { FOLLOWUP_TIMER_QUEUE } from './timers.js';
import {
  caseNow,
  days,
  followupWorld,
  historyOf,
  jobsOf,
  openCase,
  outreachMail,
  publicSystemMessages,
  putSettings,
  relay,
  setStatus,
  timerWorker,
  type FollowupWorld,
} from './test-support.js';

beforeAll(async () => {
  await getTestApp();
});

async function effects(world: FollowupWorld, ids: { snoozed: string; pending: string; solved: string; reminderId: string }) {
  const reminder = await world.db
    .selectFrom('followup_reminders')
    .select('status')
    .where('id', '=', ids.reminderId)
    .executeTakeFirstOrThrow();
  return {
    wakes: (await historyOf(world, ids.snoozed, 'snooze_ended')).length,
    reminders: (await publicSystemMessages(world, ids.pending)).length,
    checkins: (await publicSystemMessages(world, ids.solved)).length,
    agentReminder: reminder.status,
    notifications: (await outreachMail(world, ids.snoozed)).filter((m) => m.kind === 'notification').length,
  };
}

async function setUp() {
  const world = await followupWorld();
  await putSettings(world, 'default', { pending_reminder_after_days: 1, pending_solve_after_days: null, checkin_after_days: 1 });
  const snoozed = await openCase(world);
  const pending = await openCase(world);
  const solved = await openCase(world);
  await snoozeCase(world.db, world.agent.actor, snoozed.id, { until: new Date(Date.now() + days(1)) });
  const reminder = await createReminder(world.db, world.agent.actor, snoozed.id, {
    remindAt: new Date(Date.now() + days(1)),
    note: 'Look again',
  });
  await setStatus(world, world.agent, pending.id, 'pending');
  await setStatus(world, world.agent, solved.id, 'solved');
  await relay(world.ctx);
  return { world, ids: { snoozed: snoozed.id, pending: pending.id, solved: solved.id, reminderId: reminder.id } };
}

describe('follow-up timers on the durable job queue (restart safety)', () => {
  it('timers due while no worker ran fire once when a worker starts, and a restarted worker does not fire them again', async () => {
    const { world, ids } = await setUp();
    expect(await jobsOf(world, ids.snoozed)).toEqual({ queued: 2 });
    expect(await jobsOf(world, ids.pending)).toEqual({ queued: 1 });
    expect(await jobsOf(world, ids.solved)).toEqual({ queued: 1 });
    const before = { wakes: 0, reminders: 0, checkins: 0, agentReminder: 'upcoming', notifications: 0 };
    expect(await effects(world, ids)).toEqual(before);

    // Two days on, a worker starts: every overdue timer is claimed and fires once.
    const later = new Date(Date.now() + days(2));
    await timerWorker(world.ctx).runDue(later);
    await relay(world.ctx);
    const fired = { wakes: 1, reminders: 1, checkins: 1, agentReminder: 'due', notifications: 2 };
    expect(await effects(world, ids)).toEqual(fired);
    expect((await caseNow(world, ids.snoozed)).status).toBe('open');

    // The process restarts; its worker finds nothing left for these cases.
    await timerWorker(world.ctx).runDue(later);
    await timerWorker(world.ctx).runDue(new Date(Date.now() + days(5)));
    await relay(world.ctx);
    expect(await effects(world, ids)).toEqual(fired);
    for (const id of [ids.snoozed, ids.pending, ids.solved]) expect(Object.keys(await jobsOf(world, id))).toEqual(['done']);
  });

  it('duplicate jobs raced by two workers produce one effect each', async () => {
    const { world, ids } = await setUp();
    // Every planned job twice (as if planned again without the singleton key), so both workers have some to claim.
    await sql`insert into jobs (queue, payload, run_at, max_attempts)
      select queue, payload, run_at, max_attempts from jobs where queue = ${FOLLOWUP_TIMER_QUEUE}
        and payload->>'case_id' in (${ids.snoozed}, ${ids.pending}, ${ids.solved})`.execute(world.db);
    const later = new Date(Date.now() + days(2));
    await Promise.all([timerWorker(world.ctx).runDue(later), timerWorker(world.ctx).runDue(later)]);
    await relay(world.ctx);
    expect(await effects(world, ids)).toEqual({ wakes: 1, reminders: 1, checkins: 1, agentReminder: 'due', notifications: 2 });
    expect(await jobsOf(world, ids.snoozed)).toEqual({ done: 4 });
    expect(await jobsOf(world, ids.pending)).toEqual({ done: 2 });
  });

  it('with real workers: a snooze that ended while the worker was down wakes the case once; a restarted worker leaves it', async () => {
    const world = await followupWorld();
    const kase = await openCase(world);
    await snoozeCase(world.db, world.agent.actor, kase.id, { until: new Date(Date.now() + 1200) });
    await relay(world.ctx);
    // Down: nothing runs past the snooze's end.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await caseNow(world, kase.id)).status).toBe('on_hold');

    const start = () => {
      const worker = new JobWorker(world.db, world.ctx.logger, 50);
      worker.register(followupTimerJob(world.ctx));
      worker.start();
      return worker;
    };
    const first = start();
    const deadline = Date.now() + 15_000;
    while ((await caseNow(world, kase.id)).status !== 'open' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    await first.stop();
    await relay(world.ctx);
    expect((await caseNow(world, kase.id)).status).toBe('open');
    expect(await historyOf(world, kase.id, 'snooze_ended')).toHaveLength(1);

    const second = start();
    await new Promise((r) => setTimeout(r, 400));
    await second.stop();
    await relay(world.ctx);
    expect(await historyOf(world, kase.id, 'snooze_ended')).toHaveLength(1);
    expect((await outreachMail(world, kase.id)).filter((m) => m.kind === 'notification')).toHaveLength(1);
    expect(await jobsOf(world, kase.id)).toEqual({ done: 1 });
  });
});
