import { beforeAll, describe, expect, it } from 'vitest';
import { getTestApp } from '../../test/harness.js';
import { postPolicy, postSchedule, slaWorld, weekdays9to17, type SlaWorld } from './test-support.js';

beforeAll(async () => {
  await getTestApp();
});

type ErrorBody = {
  error: { code: string; message: string; details?: { fields?: { field: string; problem: string }[] } & Record<string, unknown> };
};

async function post(world: SlaWorld, payload: Record<string, unknown>, headers = world.admin.headers) {
  return world.app.inject({
    method: 'POST',
    url: '/api/v1/business-hours',
    headers,
    payload: { name: 'Office', time_zone: 'Europe/Berlin', weekly: weekdays9to17, ...payload },
  });
}

describe('business hours API', () => {
  it('creates, reads, lists, changes and deletes a schedule; agents read, only admins manage', async () => {
    const world = await slaWorld();
    const created = await post(world, {
      time_zone: 'america/new_york',
      weekly: {
        mon: [
          { start: '13:00', end: '17:00' },
          { start: '09:00', end: '12:00' },
        ],
        sat: [{ start: '22:00', end: '24:00' }],
      },
      holidays: [
        { date: '2026-12-24', name: 'Christmas Eve' },
        { month: 7, day: 4, name: 'Independence Day' },
      ],
    });
    expect(created.statusCode, created.body).toBe(201);
    const schedule = created.json<{ id: string; time_zone: string; weekly: Record<string, unknown>; is_default: boolean }>();
    expect(schedule.time_zone).toBe('America/New_York');
    expect(schedule.weekly).toMatchObject({
      mon: [
        { start: '09:00', end: '12:00' },
        { start: '13:00', end: '17:00' },
      ],
      tue: [],
      sat: [{ start: '22:00', end: '24:00' }],
    });
    expect(schedule.is_default).toBe(false);

    const read = await world.app.inject({ method: 'GET', url: `/api/v1/business-hours/${schedule.id}`, headers: world.agent.headers });
    expect(read.statusCode).toBe(200);
    const list = await world.app.inject({ method: 'GET', url: '/api/v1/business-hours', headers: world.agent.tokenHeaders });
    expect(list.json<{ data: { id: string }[] }>().data.map((s) => s.id)).toEqual([schedule.id]);

    const byAgent = await post(world, { name: 'Agent hours' }, world.agent.headers);
    expect(byAgent.statusCode).toBe(403);
    expect(byAgent.json<ErrorBody>().error.code).toBe('auth.forbidden');

    const renamed = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/business-hours/${schedule.id}`,
      headers: world.admin.headers,
      payload: { name: 'New York office', holidays: [] },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ name: 'New York office', holidays: [], time_zone: 'America/New_York', version: 2 });

    const deleted = await world.app.inject({
      method: 'DELETE',
      url: `/api/v1/business-hours/${schedule.id}`,
      headers: world.admin.headers,
    });
    expect(deleted.statusCode).toBe(204);
    const gone = await world.app.inject({ method: 'GET', url: `/api/v1/business-hours/${schedule.id}`, headers: world.admin.headers });
    expect(gone.statusCode).toBe(404);
    expect(gone.json<ErrorBody>().error.code).toBe('business_hours.not_found');
  });

  it('refuses an unknown time zone and a UTC offset with 400 naming time_zone', async () => {
    const world = await slaWorld();
    for (const zone of ['Mars/Olympus_Mons', '+02:00']) {
      const res = await post(world, { time_zone: zone });
      expect(res.statusCode).toBe(400);
      const body = res.json<ErrorBody>();
      expect(body.error.code).toBe('sla.invalid_business_hours');
      expect(body.error.details?.fields).toEqual([{ field: 'time_zone', problem: expect.stringContaining('unknown time zone') }]);
    }
  });

  it('refuses overlapping, inverted, empty and malformed ranges with the day and index', async () => {
    const world = await slaWorld();
    const overlap = await post(world, {
      weekly: {
        mon: [
          { start: '09:00', end: '13:00' },
          { start: '12:00', end: '17:00' },
        ],
      },
    });
    expect(overlap.statusCode).toBe(400);
    expect(overlap.json<ErrorBody>().error.details?.fields).toEqual([
      { field: 'weekly.mon[1]', problem: expect.stringContaining('overlaps 09:00-13:00') },
    ]);

    const inverted = await post(world, { weekly: { tue: [{ start: '17:00', end: '09:00' }] } });
    expect(inverted.statusCode).toBe(400);
    expect(inverted.json<ErrorBody>().error.details?.fields?.[0]).toMatchObject({
      field: 'weekly.tue[0]',
      problem: expect.stringContaining('is inverted'),
    });

    const empty = await post(world, { weekly: { wed: [{ start: '10:00', end: '10:00' }] } });
    expect(empty.json<ErrorBody>().error.details?.fields?.[0]?.problem).toContain('is empty');

    const malformed = await post(world, { weekly: { thu: [{ start: '25:00', end: '26:00' }] } });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json<ErrorBody>().error.details?.fields?.map((f) => f.field)).toEqual(['weekly.thu[0].start', 'weekly.thu[0].end']);

    const closed = await post(world, { weekly: { fri: [] } });
    expect(closed.statusCode).toBe(400);
    expect(closed.json<ErrorBody>().error.details?.fields).toEqual([
      { field: 'weekly', problem: expect.stringContaining('no business hours') },
    ]);

    const unknownDay = await post(world, { weekly: { funday: [{ start: '09:00', end: '17:00' }] } });
    expect(unknownDay.statusCode).toBe(400);
    expect(unknownDay.json<ErrorBody>().error.code).toBe('validation_failed');
  });

  it('refuses holidays that are no calendar dates', async () => {
    const world = await slaWorld();
    const res = await post(world, {
      holidays: [{ date: '2026-02-30' }, { month: 4, day: 31 }, { month: 13, day: 1 }, { name: 'nothing' }],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.details?.fields?.map((f) => f.field)).toEqual([
      'holidays[0].date',
      'holidays[1].day',
      'holidays[2].month',
      'holidays[3]',
    ]);
  });

  it('keeps one workspace default and refuses a taken name (409)', async () => {
    const world = await slaWorld();
    const first = await post(world, { name: 'First', is_default: true });
    const second = await post(world, { name: 'Second', is_default: true });
    expect(second.statusCode).toBe(201);
    const again = await world.app.inject({
      method: 'GET',
      url: `/api/v1/business-hours/${first.json<{ id: string }>().id}`,
      headers: world.admin.headers,
    });
    expect(again.json()).toMatchObject({ is_default: false });
    const taken = await post(world, { name: 'First' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json<ErrorBody>().error.code).toBe('sla.business_hours_name_taken');
  });

  it('assigns a team its schedule; unknown team 404, unknown schedule 422; a schedule in use is not deleted (409)', async () => {
    const world = await slaWorld();
    const url = `/api/v1/teams/${world.team.id}/business-hours`;
    const none = await world.app.inject({ method: 'GET', url, headers: world.agent.headers });
    expect(none.json()).toMatchObject({ team_id: world.team.id, schedule: null, effective: { source: 'calendar', schedule_id: null } });

    const fallback = await postSchedule(world, { name: 'Default hours', is_default: true });
    expect((await world.app.inject({ method: 'GET', url, headers: world.agent.headers })).json()).toMatchObject({
      effective: { source: 'default', schedule_id: fallback.id },
    });

    const own = await postSchedule(world, { name: 'Team hours', time_zone: 'Asia/Tokyo' });
    const set = await world.app.inject({ method: 'PUT', url, headers: world.admin.headers, payload: { schedule_id: own.id } });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({
      schedule: { id: own.id, team_ids: [world.team.id] },
      effective: { source: 'team', time_zone: 'Asia/Tokyo' },
    });

    const byAgent = await world.app.inject({ method: 'PUT', url, headers: world.agent.headers, payload: { schedule_id: null } });
    expect(byAgent.statusCode).toBe(403);

    const unknownTeam = await world.app.inject({
      method: 'PUT',
      url: '/api/v1/teams/00000000-0000-4000-8000-000000000000/business-hours',
      headers: world.admin.headers,
      payload: { schedule_id: own.id },
    });
    expect(unknownTeam.statusCode).toBe(404);
    expect(unknownTeam.json<ErrorBody>().error.code).toBe('team.not_found');

    const unknownSchedule = await world.app.inject({
      method: 'PUT',
      url,
      headers: world.admin.headers,
      payload: { schedule_id: '00000000-0000-4000-8000-000000000000' },
    });
    expect(unknownSchedule.statusCode).toBe(422);
    expect(unknownSchedule.json<ErrorBody>().error.code).toBe('sla.unknown_business_hours');

    const inUse = await world.app.inject({ method: 'DELETE', url: `/api/v1/business-hours/${own.id}`, headers: world.admin.headers });
    expect(inUse.statusCode).toBe(409);
    expect(inUse.json()).toMatchObject({
      error: { code: 'sla.business_hours_in_use', details: { team_ids: [world.team.id], policy_ids: [] } },
    });

    const policy = await postPolicy(world, { time_basis: 'business', schedule_id: fallback.id, targets: { first_reply_minutes: 60 } });
    const usedByPolicy = await world.app.inject({
      method: 'DELETE',
      url: `/api/v1/business-hours/${fallback.id}`,
      headers: world.admin.headers,
    });
    expect(usedByPolicy.json()).toMatchObject({ error: { code: 'sla.business_hours_in_use', details: { policy_ids: [policy.id] } } });

    const cleared = await world.app.inject({ method: 'PUT', url, headers: world.admin.headers, payload: { schedule_id: null } });
    expect(cleared.json()).toMatchObject({ schedule: null, effective: { source: 'default' } });
  });

  it('answers 404 for another workspace’s schedule', async () => {
    const world = await slaWorld();
    const other = await slaWorld();
    const schedule = await postSchedule(world, {});
    for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
      const res = await other.app.inject({
        method,
        url: `/api/v1/business-hours/${schedule.id}`,
        headers: other.admin.headers,
        ...(method === 'PATCH' ? { payload: { name: 'Mine now' } } : {}),
      });
      expect(res.statusCode).toBe(404);
    }
  });
});
