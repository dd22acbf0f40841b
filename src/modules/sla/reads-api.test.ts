import { beforeAll, describe, expect, it } from 'vitest';
import { getTestApp } from '../../test/harness.js';
import { addMessage } from '../cases/service.js';
import { MINUTE, openCase, postPolicy, relaySla, slaWorld, timerWorker, type SlaWorld } from './test-support.js';

beforeAll(async () => {
  await getTestApp();
});

type TargetView = { metric: string; state: string; time_left_seconds: number | null; due_at: string | null; breached: boolean };
type ListBody = {
  data: {
    case: { id: string; number: number; customer: { name: string } };
    worst_target: { metric: string; due_at: string; seconds_until_due: number; breached_at: string | null };
  }[];
  next_cursor: string | null;
};

const get = (world: SlaWorld, url: string, headers = world.agent.headers) =>
  world.app.inject({ method: 'GET', url: `/api/v1${url}`, headers });

describe('SLA reads', () => {
  it("GET /cases/:caseId/sla shows each target's state and time left; other workspaces get 404", async () => {
    const world = await slaWorld();
    const policy = await postPolicy(world, { name: 'Standard', targets: { first_reply_minutes: 60, resolution_minutes: 600 } });
    const kase = await openCase(world);
    const res = await get(world, `/cases/${kase.id}/sla`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ policy: { id: string; name: string }; time_basis: string; schedule: unknown; targets: TargetView[] }>();
    expect(body).toMatchObject({
      policy: { id: policy.id, name: 'Standard' },
      time_basis: 'calendar',
      schedule: { source: 'calendar', time_zone: 'UTC' },
    });
    expect(body.targets.map((t) => [t.metric, t.state])).toEqual([
      ['first_reply', 'running'],
      ['resolution', 'running'],
    ]);
    expect(body.targets[0]!.time_left_seconds).toBeGreaterThan(3500);
    expect(body.targets[0]!.time_left_seconds).toBeLessThanOrEqual(3600);

    await addMessage(world.db, world.agent.actor, kase.id, {
      bodyText: 'Refund is on its way.',
      visibility: 'public',
      statusAfter: 'pending',
    });
    await relaySla(world.ctx);
    const after = (await get(world, `/cases/${kase.id}/sla`)).json<{ targets: TargetView[] }>();
    expect(after.targets.map((t) => [t.metric, t.state, t.time_left_seconds === null])).toEqual([
      ['first_reply', 'met', true],
      ['resolution', 'paused', false],
    ]);
    expect(after.targets[1]!.due_at).toBeNull();

    const other = await slaWorld();
    const outsider = await get(other, `/cases/${kase.id}/sla`, other.admin.headers);
    expect(outsider.statusCode).toBe(404);
    expect(outsider.json()).toMatchObject({ error: { code: 'case.not_found' } });
  });

  it('a case no policy matches has no targets', async () => {
    const world = await slaWorld();
    const kase = await openCase(world);
    expect((await get(world, `/cases/${kase.id}/sla`)).json()).toEqual({
      case_id: kase.id,
      policy: null,
      time_basis: null,
      schedule: null,
      targets: [],
    });
  });

  it('lists cases breaching soon by their worst target, soonest first, keyset-paginated', async () => {
    const world = await slaWorld();
    await postPolicy(world, { conditions: { priority: ['high'] }, targets: { first_reply_minutes: 20 } });
    await postPolicy(world, { targets: { first_reply_minutes: 45, resolution_minutes: 30 } });
    const later = await openCase(world);
    const sooner = await openCase(world, { priority: 'high' });
    const far = await openCase(world, { priority: 'low', category: 'technical' });

    const res = await get(world, '/sla/cases?state=breaching_soon&within_minutes=40');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<ListBody>();
    expect(body.data.map((d) => [d.case.id, d.worst_target.metric])).toEqual([
      [sooner.id, 'first_reply'],
      [later.id, 'resolution'],
      [far.id, 'resolution'],
    ]);
    expect(body.data[0]!.case.customer.name).toBe('Pat Plain');
    expect(body.data[0]!.worst_target.seconds_until_due).toBeLessThanOrEqual(20 * 60);

    const narrow = (await get(world, '/sla/cases?state=breaching_soon&within_minutes=25')).json<ListBody>();
    expect(narrow.data.map((d) => d.case.id)).toEqual([sooner.id]);

    const page1 = (await get(world, '/sla/cases?state=breaching_soon&within_minutes=40&limit=2')).json<ListBody>();
    expect(page1.data.map((d) => d.case.id)).toEqual([sooner.id, later.id]);
    const page2 = (
      await get(world, `/sla/cases?state=breaching_soon&within_minutes=40&limit=2&cursor=${page1.next_cursor}`)
    ).json<ListBody>();
    expect(page2.data.map((d) => d.case.id)).toEqual([far.id]);
    expect(page2.next_cursor).toBeNull();

    // Another workspace sees none of them.
    const other = await slaWorld();
    expect((await get(other, '/sla/cases?state=breaching_soon&within_minutes=600', other.admin.headers)).json<ListBody>().data).toEqual([]);
  });

  it('lists breached cases, and reports attainment per metric from the SLA events', async () => {
    const world = await slaWorld();
    await postPolicy(world, { targets: { first_reply_minutes: 1 } });
    const breached = await openCase(world);
    const onTime = await openCase(world);
    await addMessage(world.db, world.agent.actor, onTime.id, { bodyText: 'Hello!', visibility: 'public' });
    await relaySla(world.ctx);
    await timerWorker(world.ctx).runDue(new Date(Date.now() + 5 * MINUTE));

    const list = (await get(world, '/sla/cases?state=breached')).json<ListBody>();
    expect(list.data.map((d) => d.case.id)).toEqual([breached.id]);
    expect(list.data[0]!.worst_target.breached_at).not.toBeNull();
    expect((await get(world, '/sla/cases?state=breaching_soon')).json<ListBody>().data).toEqual([]);

    const from = new Date(Date.now() - 60 * MINUTE).toISOString();
    const to = new Date(Date.now() + 60 * MINUTE).toISOString();
    const report = await get(world, `/sla/report?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    expect(report.statusCode, report.body).toBe(200);
    const firstReply = report.json<{ metrics: Record<string, unknown>[] }>().metrics.find((m) => m.metric === 'first_reply');
    expect(firstReply).toMatchObject({ met_on_time: 1, met_late: 0, breached: 1, attainment_percent: 50 });
    expect(firstReply!.average_seconds_to_meet).toEqual(expect.any(Number));

    // The breached case answered late: still one breach, now met late, and off the breached list.
    await addMessage(world.db, world.agent.actor, breached.id, { bodyText: 'Sorry for the wait.', visibility: 'public' });
    await relaySla(world.ctx);
    expect((await get(world, '/sla/cases?state=breached')).json<ListBody>().data).toEqual([]);
    const later = (await get(world, `/sla/report?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)).json<{
      metrics: Record<string, unknown>[];
    }>();
    expect(later.metrics.find((m) => m.metric === 'first_reply')).toMatchObject({
      met_on_time: 1,
      met_late: 1,
      breached: 1,
      attainment_percent: 50,
    });
    expect(later.metrics.find((m) => m.metric === 'resolution')).toMatchObject({ met_on_time: 0, breached: 0, attainment_percent: null });
  });

  it('refuses bad list and report parameters with 400', async () => {
    const world = await slaWorld();
    const now = Date.now();
    const iso = (offset: number) => encodeURIComponent(new Date(now + offset).toISOString());
    const cases: [string, string][] = [
      ['/sla/cases', 'validation_failed'],
      ['/sla/cases?state=late', 'validation_failed'],
      ['/sla/cases?state=breached&within_minutes=0', 'validation_failed'],
      ['/sla/cases?state=breached&cursor=not-a-cursor', 'pagination.invalid_cursor'],
      [`/sla/report?from=${iso(0)}`, 'validation_failed'],
      [`/sla/report?from=${iso(0)}&to=yesterday`, 'validation_failed'],
      [`/sla/report?from=${iso(0)}&to=${iso(-1000)}`, 'sla.invalid_report_range'],
      [`/sla/report?from=${iso(0)}&to=${iso(400 * 86_400_000)}`, 'sla.report_range_too_long'],
      ['/cases/not-a-uuid/sla', 'validation_failed'],
    ];
    for (const [url, code] of cases) {
      const res = await get(world, url);
      expect([url, res.statusCode, res.json<{ error: { code: string } }>().error.code]).toEqual([url, 400, code]);
    }
  });
});
