import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { getTestApp } from '../../test/harness.js';
import { getCase, listCaseEvents, updateCase } from '../cases/service.js';
import { SLA_TIMER_QUEUE } from './timer-schedule.js';
import { MINUTE, openCase, postPolicy, relaySla, slaEventsOf, slaWorld, targetOf, timerWorker, type SlaWorld } from './test-support.js';

beforeAll(async () => {
  await getTestApp();
});

async function breaches(world: SlaWorld, caseId: string) {
  const sla = (await slaEventsOf(world, caseId)).filter((e) => e.type === 'breached');
  const history = (await listCaseEvents(world.db, world.admin.actor, caseId)).filter((e) => e.type === 'sla_breached');
  return { sla: sla.length, history: history.length };
}

async function timerJobs(world: SlaWorld, caseId: string) {
  const result = await sql<{ status: string; n: number }>`
    select status, count(*)::int as n from jobs where queue = ${SLA_TIMER_QUEUE} and payload->>'case_id' = ${caseId} group by status`.execute(
    world.db,
  );
  return Object.fromEntries(result.rows.map((r) => [r.status, r.n]));
}

describe('SLA timers on the durable job queue', () => {
  it('a breach due while no worker runs fires exactly once when a worker starts, escalations included, never twice', async () => {
    const world = await slaWorld();
    await postPolicy(world, {
      targets: { first_reply_minutes: 1 },
      escalations: {
        breach: [
          { type: 'notify', assignee: true, roles: ['supervisor'] },
          { type: 'raise_priority' },
          { type: 'reassign', team_id: world.escalation.id, queue_id: world.escalation.queues[0]!.id },
          { type: 'add_follower', agent_id: world.supervisor.id },
        ],
      },
    });
    const kase = await openCase(world);
    // The process that planned the timer is gone; nothing ran it. The breach job waits in the table.
    expect(await timerJobs(world, kase.id)).toEqual({ queued: 1 });
    expect(await breaches(world, kase.id)).toEqual({ sla: 0, history: 0 });

    // Five minutes later a worker starts: the overdue job is claimed and fires once.
    const later = new Date(Date.now() + 5 * MINUTE);
    expect(await timerWorker(world.ctx).runDue(later)).toBe(1);
    expect(await breaches(world, kase.id)).toEqual({ sla: 1, history: 1 });
    const target = (await targetOf(world, kase.id, 'first_reply'))!;
    expect(target.breached_at!.getTime()).toBe(new Date(kase.created_at).getTime() + MINUTE);

    const after = await getCase(world.db, world.admin.actor, kase.id);
    expect(after).toMatchObject({
      priority: 'high',
      team_id: world.escalation.id,
      queue_id: world.escalation.queues[0]!.id,
      assignee: null,
    });
    expect(after.followers.map((f) => f.id)).toEqual([world.supervisor.id]);
    const mail = await world.db
      .selectFrom('outbound_mail')
      .select(['recipient_agent_id', 'kind', 'subject'])
      .where('case_id', '=', kase.id)
      .where('kind', '=', 'notification')
      .execute();
    expect(mail.map((m) => m.recipient_agent_id).sort()).toEqual([world.agent.id, world.supervisor.id].sort());
    expect(mail[0]!.subject).toContain('SLA breached: first reply');
    const event = (await slaEventsOf(world, kase.id)).find((e) => e.type === 'breached')!;
    expect((event.data.actions as { type: string; ok: boolean }[]).map((a) => [a.type, a.ok])).toEqual([
      ['notify', true],
      ['raise_priority', true],
      ['reassign', true],
      ['add_follower', true],
    ]);

    // Again, and a second worker (another process after a restart): nothing more happens.
    expect(await timerWorker(world.ctx).runDue(later)).toBe(0);
    expect(await timerWorker(world.ctx).runDue(new Date(Date.now() + 60 * MINUTE))).toBe(0);
    expect(await breaches(world, kase.id)).toEqual({ sla: 1, history: 1 });
    expect(await timerJobs(world, kase.id)).toEqual({ done: 1 });
  });

  it('after downtime (relay and worker both stopped), running workers fire the overdue timer once, and a restarted one not again', async () => {
    const world = await slaWorld();
    await postPolicy(world, { targets: { first_reply_minutes: 5 } });
    // The case arrives while no worker process runs: its events wait in the outbox. Ten minutes
    // pass (the stored times are moved back by ten minutes, as if they were written then).
    const { createCase } = await import('../cases/service.js');
    const kase = await createCase(world.db, world.workspace.system, {
      customerId: world.customerId,
      subject: 'Double charge',
      category: 'billing',
      channel: 'email',
      message: { bodyText: 'Charged twice.', authorType: 'customer' },
    });
    await sql`update cases set created_at = created_at - interval '10 minutes' where id = ${kase.id}`.execute(world.db);
    await sql`update domain_events set occurred_at = occurred_at - interval '10 minutes' where aggregate_id = ${kase.id}`.execute(world.db);

    // The worker process starts: its relay plans the (already overdue) timer, its job worker polls.
    const { JobWorker } = await import('../../platform/jobs.js');
    const { slaTimerJob } = await import('./timer-job.js');
    const startWorker = () => {
      const worker = new JobWorker(world.db, world.ctx.logger, 50);
      worker.register(slaTimerJob(world.ctx));
      worker.start();
      return worker;
    };
    await relaySla(world.ctx);
    const first = startWorker();
    const deadline = Date.now() + 15_000;
    while ((await breaches(world, kase.id)).sla === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    await first.stop();
    expect(await breaches(world, kase.id)).toEqual({ sla: 1, history: 1 });
    expect((await targetOf(world, kase.id, 'first_reply'))!.breached_at!.getTime()).toBe(new Date(kase.created_at).getTime() - 5 * MINUTE);

    // Restarted: the relay sees nothing new, the worker finds nothing due.
    await relaySla(world.ctx);
    const second = startWorker();
    await new Promise((r) => setTimeout(r, 400));
    await second.stop();
    expect(await breaches(world, kase.id)).toEqual({ sla: 1, history: 1 });
    expect(await timerJobs(world, kase.id)).toEqual({ done: 1 });
  });

  it('two workers racing over duplicate jobs of one target record one breach', async () => {
    const world = await slaWorld();
    await postPolicy(world, { targets: { first_reply_minutes: 1 }, escalations: { breach: [{ type: 'raise_priority', to: 'urgent' }] } });
    const kase = await openCase(world);
    // A duplicate of the breach job (as if planned twice), so each worker has one to claim.
    await sql`insert into jobs (queue, payload, run_at, max_attempts)
      select queue, payload, run_at, max_attempts from jobs where queue = ${SLA_TIMER_QUEUE} and payload->>'case_id' = ${kase.id}`.execute(
      world.db,
    );
    expect(await timerJobs(world, kase.id)).toEqual({ queued: 2 });
    const later = new Date(Date.now() + 5 * MINUTE);
    const ran = await Promise.all([timerWorker(world.ctx).runDue(later), timerWorker(world.ctx).runDue(later)]);
    expect(ran[0] + ran[1]).toBe(2);
    expect(await breaches(world, kase.id)).toEqual({ sla: 1, history: 1 });
    expect(await timerJobs(world, kase.id)).toEqual({ done: 2 });
    expect((await getCase(world.db, world.admin.actor, kase.id)).priority).toBe('urgent');
  });

  it('warns at the warning threshold, then breaches; each once', async () => {
    const world = await slaWorld();
    await postPolicy(world, {
      targets: { first_reply_minutes: 60 },
      warning_minutes: 15,
      escalations: { warning: [{ type: 'add_follower', agent_id: world.supervisor.id }] },
    });
    const kase = await openCase(world);
    const t0 = new Date(kase.created_at).getTime();
    expect((await targetOf(world, kase.id, 'first_reply'))!.warn_at!.getTime()).toBe(t0 + 45 * MINUTE);
    expect(await timerWorker(world.ctx).runDue(new Date(t0 + 30 * MINUTE))).toBe(0);
    expect(await timerWorker(world.ctx).runDue(new Date(t0 + 50 * MINUTE))).toBe(1);
    const warned = (await targetOf(world, kase.id, 'first_reply'))!;
    expect(warned.warned_at!.getTime()).toBe(t0 + 45 * MINUTE);
    expect(warned.breached_at).toBeNull();
    expect((await getCase(world.db, world.admin.actor, kase.id)).followers.map((f) => f.id)).toEqual([world.supervisor.id]);
    expect(await timerWorker(world.ctx).runDue(new Date(t0 + 61 * MINUTE))).toBe(1);
    const types = (await slaEventsOf(world, kase.id)).map((e) => e.type).filter((t) => t === 'warning' || t === 'breached');
    expect(types).toEqual(['warning', 'breached']);
  });

  it('a target paused before its due time does not breach; after resuming it breaches at the new time', async () => {
    const world = await slaWorld();
    await postPolicy(world, { targets: { first_reply_minutes: 1 } });
    const kase = await openCase(world);
    const view = await getCase(world.db, world.agent.actor, kase.id);
    await updateCase(world.db, world.agent.actor, kase.id, { version: view.version, status: 'on_hold' });
    await relaySla(world.ctx);
    // The planned job is stale now: it runs and changes nothing.
    expect(await timerWorker(world.ctx).runDue(new Date(Date.now() + 5 * MINUTE))).toBe(1);
    expect(await breaches(world, kase.id)).toEqual({ sla: 0, history: 0 });

    const held = await getCase(world.db, world.agent.actor, kase.id);
    await updateCase(world.db, world.agent.actor, kase.id, { version: held.version, status: 'open' });
    await relaySla(world.ctx);
    const resumed = (await targetOf(world, kase.id, 'first_reply'))!;
    expect(resumed.due_at!.getTime()).toBeGreaterThan(new Date(kase.created_at).getTime() + MINUTE);
    expect(await timerWorker(world.ctx).runDue(new Date(resumed.due_at!.getTime() + 1000))).toBe(1);
    expect(await breaches(world, kase.id)).toEqual({ sla: 1, history: 1 });
  });

  it('a target met before its due time never breaches', async () => {
    const world = await slaWorld();
    await postPolicy(world, { targets: { first_reply_minutes: 1 } });
    const kase = await openCase(world);
    const { addMessage } = await import('../cases/service.js');
    await addMessage(world.db, world.agent.actor, kase.id, { bodyText: 'On it.', visibility: 'public' });
    await relaySla(world.ctx);
    expect(await timerWorker(world.ctx).runDue(new Date(Date.now() + 5 * MINUTE))).toBe(1);
    expect(await breaches(world, kase.id)).toEqual({ sla: 0, history: 0 });
  });
});
