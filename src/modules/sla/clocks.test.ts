import { beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../db/database.js';
import type { DomainEvent } from '../../platform/outbox.js';
import { getTestApp } from '../../test/harness.js';
import { addMessage, getCase, updateCase } from '../cases/service.js';
import { validateSchedule } from './business-hours.js';
import { addBusinessMillis } from './business-time.js';
import { handleCaseEvent, slaCaseListener } from './case-listener.js';
import {
  eventSummary,
  HOUR,
  MINUTE,
  openCase,
  postPolicy,
  postSchedule,
  relaySla,
  slaEventsOf,
  slaWorld,
  targetOf,
  targetsOf,
  weekdays9to17,
  type SlaWorld,
} from './test-support.js';

beforeAll(async () => {
  await getTestApp();
});

async function reply(world: SlaWorld, caseId: string, visibility: 'public' | 'internal' = 'public') {
  await addMessage(world.db, world.agent.actor, caseId, { bodyText: 'We are looking into it.', visibility });
  await relaySla(world.ctx);
}

async function customerWrites(world: SlaWorld, caseId: string) {
  await addMessage(world.db, world.workspace.system, caseId, { bodyText: 'Any news?', visibility: 'public', authorType: 'customer' });
  await relaySla(world.ctx);
}

async function setStatus(world: SlaWorld, caseId: string, status: 'open' | 'pending' | 'on_hold' | 'solved') {
  const current = await getCase(world.db, world.agent.actor, caseId);
  await updateCase(world.db, world.agent.actor, caseId, { version: current.version, status });
  await relaySla(world.ctx);
}

let syntheticId = 9_000_000_000_000;
/** A domain event at a chosen instant, handed to the listener as the relay would (deterministic clock tests). */
async function at(world: SlaWorld, caseId: string, when: Date, type: string, payload: Record<string, unknown>) {
  const event: DomainEvent = {
    id: ++syntheticId,
    workspaceId: world.workspace.id,
    type,
    aggregateType: 'case',
    aggregateId: caseId,
    payload,
    actorType: 'system',
    actorId: null,
    occurredAt: when,
  };
  await inTransaction(world.db, (tx) => handleCaseEvent(tx, event));
}

describe('SLA clocks follow the case', () => {
  it('first reply, next reply cycles and resolution in calendar time', async () => {
    const world = await slaWorld();
    const policy = await postPolicy(world, { targets: { first_reply_minutes: 60, next_reply_minutes: 30, resolution_minutes: 600 } });
    const kase = await openCase(world);
    const created = new Date(kase.created_at).getTime();

    const clock = await world.db.selectFrom('sla_case_clocks').selectAll().where('case_id', '=', kase.id).executeTakeFirstOrThrow();
    expect(clock).toMatchObject({
      policy_id: policy.id,
      policy_version: 1,
      schedule: null,
      schedule_source: 'calendar',
      case_status: 'new',
    });
    const first = await targetOf(world, kase.id, 'first_reply');
    expect(first).toMatchObject({ target_minutes: 60, cycle: 1, met_at: null, paused_at: null });
    expect(first!.started_at.getTime()).toBe(created);
    expect(first!.due_at!.getTime()).toBe(created + 60 * MINUTE);
    expect(first!.warn_at).toBeNull(); // the 60-minute warning is not shorter than the target
    expect((await targetOf(world, kase.id, 'resolution'))!.due_at!.getTime()).toBe(created + 600 * MINUTE);
    expect(await targetOf(world, kase.id, 'next_reply')).toBeUndefined();
    expect((await targetOf(world, kase.id, 'resolution'))!.warn_at!.getTime()).toBe(created + 540 * MINUTE);

    // A note is no reply; the customer writing again before the first reply starts nothing.
    await reply(world, kase.id, 'internal');
    await customerWrites(world, kase.id);
    expect((await targetOf(world, kase.id, 'first_reply'))!.met_at).toBeNull();
    expect(await targetOf(world, kase.id, 'next_reply')).toBeUndefined();

    await reply(world, kase.id);
    expect((await targetOf(world, kase.id, 'first_reply'))!.met_at).not.toBeNull();

    await customerWrites(world, kase.id);
    await customerWrites(world, kase.id);
    const waiting = await targetOf(world, kase.id, 'next_reply');
    expect(waiting).toMatchObject({ cycle: 1, target_minutes: 30, met_at: null });
    expect(waiting!.due_at!.getTime()).toBe(waiting!.started_at.getTime() + 30 * MINUTE);
    await reply(world, kase.id);
    expect((await targetOf(world, kase.id, 'next_reply'))!.met_at).not.toBeNull();
    await customerWrites(world, kase.id);
    expect(await targetOf(world, kase.id, 'next_reply')).toMatchObject({ cycle: 2, met_at: null });

    await setStatus(world, kase.id, 'solved');
    expect((await targetOf(world, kase.id, 'resolution'))!.met_at).not.toBeNull();
    expect(await targetOf(world, kase.id, 'next_reply')).toBeUndefined();

    const summary = await eventSummary(world, kase.id);
    expect(summary.slice(0, 3).sort()).toEqual(['applied', 'started:first_reply', 'started:resolution']);
    expect(summary.slice(3)).toEqual([
      'met:first_reply',
      'started:next_reply',
      'met:next_reply',
      'started:next_reply',
      'met:resolution',
      'cancelled:next_reply',
    ]);
    const met = (await slaEventsOf(world, kase.id)).filter((e) => e.type === 'met');
    expect(met.every((e) => e.data.breached === false)).toBe(true);
  });

  it('a case an agent opens with a public reply has no first-reply target', async () => {
    const world = await slaWorld();
    await postPolicy(world, { targets: { first_reply_minutes: 60, resolution_minutes: 600 } });
    const kase = await openCase(world, { message: { bodyText: 'Following up on your call.', authorType: 'agent' } }, world.agent.actor);
    expect((await targetsOf(world, kase.id)).map((t) => t.metric)).toEqual(['resolution']);
  });

  it('pauses in the policy’s pause statuses and resumes without counting the pause', async () => {
    const world = await slaWorld();
    await postPolicy(world, { targets: { first_reply_minutes: 60, resolution_minutes: 600 }, pause_statuses: ['on_hold'] });
    const kase = await openCase(world);
    const t0 = new Date(kase.created_at).getTime();
    const before = (await targetOf(world, kase.id, 'resolution'))!;

    // pending is not a pause status of this policy
    await at(world, kase.id, new Date(t0 + 10 * MINUTE), 'case.status_changed', { from: 'new', to: 'pending' });
    expect((await targetOf(world, kase.id, 'resolution'))!.paused_at).toBeNull();

    await at(world, kase.id, new Date(t0 + 20 * MINUTE), 'case.status_changed', { from: 'pending', to: 'on_hold' });
    const paused = (await targetOf(world, kase.id, 'resolution'))!;
    expect(paused).toMatchObject({ running_since: null, due_at: null, elapsed_ms: 20 * MINUTE });
    expect(paused.paused_at!.getTime()).toBe(t0 + 20 * MINUTE);

    await at(world, kase.id, new Date(t0 + 95 * MINUTE), 'case.status_changed', { from: 'on_hold', to: 'open' });
    const resumed = (await targetOf(world, kase.id, 'resolution'))!;
    expect(resumed.paused_at).toBeNull();
    expect(resumed.elapsed_ms).toBe(20 * MINUTE);
    // 75 minutes on hold move the due time by exactly 75 minutes
    expect(resumed.due_at!.getTime() - before.due_at!.getTime()).toBe(75 * MINUTE);
    expect((await targetOf(world, kase.id, 'first_reply'))!.due_at!.getTime()).toBe(t0 + 135 * MINUTE);
    expect(await eventSummary(world, kase.id)).toEqual(expect.arrayContaining(['paused', 'resumed']));
  });

  it('pauses by default in pending and on_hold, with real status changes', async () => {
    const world = await slaWorld();
    await postPolicy(world, { targets: { first_reply_minutes: 60 } });
    const kase = await openCase(world);
    const due = (await targetOf(world, kase.id, 'first_reply'))!.due_at!.getTime();
    await setStatus(world, kase.id, 'pending');
    expect((await targetOf(world, kase.id, 'first_reply'))!.due_at).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await setStatus(world, kase.id, 'open');
    const shifted = (await targetOf(world, kase.id, 'first_reply'))!.due_at!.getTime() - due;
    expect(shifted).toBeGreaterThanOrEqual(250);
    expect(shifted).toBeLessThan(60_000);
  });

  it('counts business time in the policy’s schedule across nights and weekends', async () => {
    const world = await slaWorld();
    const hours = await postSchedule(world, { time_zone: 'Europe/Berlin', holidays: [{ month: 12, day: 25 }] });
    await postPolicy(world, {
      time_basis: 'business',
      schedule_id: hours.id,
      targets: { first_reply_minutes: 240, resolution_minutes: 3 * 8 * 60 },
    });
    const kase = await openCase(world);
    const schedule = validateSchedule({ timeZone: 'Europe/Berlin', weekly: weekdays9to17, holidays: [{ month: 12, day: 25 }] });
    if (!schedule.ok) throw new Error('schedule');
    const created = new Date(kase.created_at);
    expect((await targetOf(world, kase.id, 'first_reply'))!.due_at!.getTime()).toBe(
      addBusinessMillis(schedule.schedule, created, 4 * HOUR).getTime(),
    );
    expect((await targetOf(world, kase.id, 'resolution'))!.due_at!.getTime()).toBe(
      addBusinessMillis(schedule.schedule, created, 24 * HOUR).getTime(),
    );
    const clock = await world.db.selectFrom('sla_case_clocks').selectAll().where('case_id', '=', kase.id).executeTakeFirstOrThrow();
    expect(clock).toMatchObject({ schedule_source: 'policy', schedule: { timeZone: 'Europe/Berlin' } });

    // Deterministic: reopened Friday 16:00 Berlin with nothing counted yet, 24 business hours are
    // Friday 1 h, Monday 8 h, Tuesday 8 h and Wednesday 7 h: due Wednesday 16:00 Berlin.
    const friday = new Date('2026-03-06T15:00:00Z');
    await at(world, kase.id, friday, 'case.status_changed', { from: 'new', to: 'solved' });
    await at(world, kase.id, friday, 'case.status_changed', { from: 'solved', to: 'open' });
    const reopened = (await targetOf(world, kase.id, 'resolution'))!;
    expect(reopened.cycle).toBe(2);
    expect(reopened.running_since!.getTime()).toBe(friday.getTime());
    expect(reopened.due_at!.toISOString()).toBe('2026-03-11T15:00:00.000Z');
  });

  it('counts in the team’s schedule, else the workspace default, else round the clock', async () => {
    const world = await slaWorld();
    await postPolicy(world, { time_basis: 'business', targets: { first_reply_minutes: 60 } });
    const calendar = await openCase(world);
    const fallback = await postSchedule(world, { is_default: true, time_zone: 'America/New_York' });
    const byDefault = await openCase(world);
    const teamHours = await postSchedule(world, { time_zone: 'Asia/Tokyo' });
    await world.app.inject({
      method: 'PUT',
      url: `/api/v1/teams/${world.team.id}/business-hours`,
      headers: world.admin.headers,
      payload: { schedule_id: teamHours.id },
    });
    const byTeam = await openCase(world);
    const sources = await world.db
      .selectFrom('sla_case_clocks')
      .select(['case_id', 'schedule_source'])
      .where('case_id', 'in', [calendar.id, byDefault.id, byTeam.id])
      .execute();
    const of = (id: string) => sources.find((s) => s.case_id === id)?.schedule_source;
    expect([of(calendar.id), of(byDefault.id), of(byTeam.id)]).toEqual(['calendar', 'default', 'team']);
    expect(fallback.id).toBeDefined();
  });

  it('chooses the first matching policy in order and again when the case changes', async () => {
    const world = await slaWorld();
    const urgent = await postPolicy(world, { name: 'Urgent', conditions: { priority: ['urgent'] }, targets: { first_reply_minutes: 30 } });
    const vip = await postPolicy(world, { name: 'VIP', conditions: { customer_tags: ['vip'] }, targets: { first_reply_minutes: 45 } });
    const billing = await postPolicy(world, {
      name: 'Billing',
      conditions: { category: ['billing'], team_ids: [world.team.id] },
      targets: { first_reply_minutes: 240 },
    });
    const plain = await openCase(world);
    const vipCase = await openCase(world, { customerId: world.vipCustomerId });
    const technical = await openCase(world, { category: 'technical', teamId: null, assigneeId: null });
    const policyOf = async (id: string) =>
      (await world.db.selectFrom('sla_case_clocks').select('policy_id').where('case_id', '=', id).executeTakeFirstOrThrow()).policy_id;
    expect([await policyOf(plain.id), await policyOf(vipCase.id), await policyOf(technical.id)]).toEqual([billing.id, vip.id, null]);
    expect(await targetsOf(world, technical.id)).toEqual([]);

    const view = await getCase(world.db, world.agent.actor, plain.id);
    await updateCase(world.db, world.agent.actor, plain.id, { version: view.version, priority: 'urgent' });
    await relaySla(world.ctx);
    expect(await policyOf(plain.id)).toBe(urgent.id);
    const first = (await targetOf(world, plain.id, 'first_reply'))!;
    expect(first.target_minutes).toBe(30);
    expect(first.due_at!.getTime()).toBe(new Date(plain.created_at).getTime() + 30 * MINUTE);
    expect((await eventSummary(world, plain.id)).filter((e) => e === 'applied')).toHaveLength(2);

    // Reordering changes which policy a case gets when it is next evaluated.
    await world.app.inject({
      method: 'PUT',
      url: '/api/v1/sla-policies/order',
      headers: world.admin.headers,
      payload: { policy_ids: [billing.id, urgent.id, vip.id] },
    });
    const again = await getCase(world.db, world.agent.actor, plain.id);
    await updateCase(world.db, world.agent.actor, plain.id, { version: again.version, tags: ['invoice'] });
    await relaySla(world.ctx);
    expect(await policyOf(plain.id)).toBe(billing.id);
  });

  it('a reply after the due time is met late and counts as one breach, even without a timer', async () => {
    const world = await slaWorld();
    await postPolicy(world, { targets: { first_reply_minutes: 10 } });
    const kase = await openCase(world);
    const t0 = new Date(kase.created_at).getTime();
    await at(world, kase.id, new Date(t0 + 25 * MINUTE), 'case.message_added', { visibility: 'public', author_type: 'agent' });
    const target = (await targetOf(world, kase.id, 'first_reply'))!;
    expect(target.met_at!.getTime()).toBe(t0 + 25 * MINUTE);
    expect(target.breached_at!.getTime()).toBe(t0 + 10 * MINUTE);
    expect(target.elapsed_ms).toBe(25 * MINUTE);
    const events = (await slaEventsOf(world, kase.id)).filter(
      (e) => e.metric === 'first_reply' && (e.type === 'met' || e.type === 'breached'),
    );
    expect(events.map((e) => [e.type, e.occurred_at.getTime(), e.data.breached ?? null])).toEqual([
      ['breached', t0 + 10 * MINUTE, null],
      ['met', t0 + 25 * MINUTE, true],
    ]);
  });

  it('closing ends what is left; a replayed event changes nothing', async () => {
    const world = await slaWorld();
    await postPolicy(world, { targets: { first_reply_minutes: 60, resolution_minutes: 600 } });
    const kase = await openCase(world);
    const before = await slaEventsOf(world, kase.id);
    await world.db.updateTable('domain_events').set({ published_at: null }).where('aggregate_id', '=', kase.id).execute();
    await relaySla(world.ctx);
    expect(await slaEventsOf(world, kase.id)).toEqual(before);

    await setStatus(world, kase.id, 'solved');
    await setStatus(world, kase.id, 'open');
    // Every event of the case delivered again: each was marked applied. (Applied again, "solved"
    // would meet the reopened resolution target a second time.)
    const reopened = await slaEventsOf(world, kase.id);
    await world.db.updateTable('domain_events').set({ published_at: null }).where('aggregate_id', '=', kase.id).execute();
    await relaySla(world.ctx);
    expect(await slaEventsOf(world, kase.id)).toEqual(reopened);
    await setStatus(world, kase.id, 'solved');
    const view = await getCase(world.db, world.agent.actor, kase.id);
    await updateCase(world.db, world.agent.actor, kase.id, { version: view.version, status: 'closed' });
    await relaySla(world.ctx);
    expect(await targetsOf(world, kase.id)).toMatchObject([{ metric: 'resolution' }]);
    expect(await eventSummary(world, kase.id)).toEqual(expect.arrayContaining(['cancelled:first_reply', 'met:resolution']));
  });

  it('sla_events is append-only', async () => {
    const world = await slaWorld();
    await postPolicy(world, { targets: { first_reply_minutes: 60 } });
    const kase = await openCase(world);
    await expect(world.db.updateTable('sla_events').set({ type: 'met' }).where('case_id', '=', kase.id).execute()).rejects.toThrow(
      /append-only/,
    );
    await expect(world.db.deleteFrom('sla_events').where('case_id', '=', kase.id).execute()).rejects.toThrow(/append-only/);
  });
});

describe('SLA clocks for a relay batch of messages', () => {
  it('locks the clocks of messages on different cases together and applies each as alone; a redelivered batch changes nothing', async () => {
    const world = await slaWorld();
    await postPolicy(world, { targets: { first_reply_minutes: 60, next_reply_minutes: 30, resolution_minutes: 600 } });
    const replied = [await openCase(world), await openCase(world)];
    const waiting = await openCase(world);
    await relaySla(world.ctx);
    for (const kase of replied) await addMessage(world.db, world.agent.actor, kase.id, { bodyText: 'Looking', visibility: 'public' });
    await relaySla(world.ctx);
    // Three customers write before the relay runs: one batch, each case with one event.
    for (const kase of [...replied, waiting])
      await addMessage(world.db, world.workspace.system, kase.id, { bodyText: 'Any news?', visibility: 'public', authorType: 'customer' });
    const batch = await world.db
      .selectFrom('domain_events')
      .selectAll()
      .where('published_at', 'is', null)
      .where(
        'aggregate_id',
        'in',
        [...replied, waiting].map((k) => k.id),
      )
      .orderBy('id')
      .execute();
    expect(batch.map((e) => e.type)).toEqual(['case.message_added', 'case.message_added', 'case.message_added']);
    await relaySla(world.ctx);

    for (const kase of replied) {
      expect(await targetOf(world, kase.id, 'next_reply')).toMatchObject({ cycle: 1, met_at: null });
      expect(await eventSummary(world, kase.id)).toContain('started:next_reply');
    }
    // Not yet replied to: the first reply still runs, no next reply starts.
    expect(await targetOf(world, waiting.id, 'next_reply')).toBeUndefined();
    expect((await targetOf(world, waiting.id, 'first_reply'))!.met_at).toBeNull();
    const clocks = await world.db
      .selectFrom('sla_case_clocks')
      .select(['case_id', 'last_event_id'])
      .where(
        'case_id',
        'in',
        [...replied, waiting].map((k) => k.id),
      )
      .execute();
    expect(new Map(clocks.map((c) => [c.case_id, Number(c.last_event_id)]))).toEqual(
      new Map(batch.map((e) => [e.aggregate_id, Number(e.id)])),
    );

    // The relay delivers at least once: the same batch again is recognised event by event.
    const before = await Promise.all([...replied, waiting].map((k) => slaEventsOf(world, k.id)));
    const listener = slaCaseListener();
    const events: DomainEvent[] = batch.map((e) => ({
      id: Number(e.id),
      workspaceId: e.workspace_id,
      type: e.type,
      aggregateType: e.aggregate_type,
      aggregateId: e.aggregate_id,
      payload: e.payload,
      actorType: e.actor_type,
      actorId: e.actor_id,
      occurredAt: e.occurred_at,
    }));
    await inTransaction(world.db, async (tx) => {
      await listener.prepare!(events, tx);
      for (const event of events) await listener.handle(event, tx);
    });
    expect(await Promise.all([...replied, waiting].map((k) => slaEventsOf(world, k.id)))).toEqual(before);
  });
});
