import { beforeAll, describe, expect, it } from 'vitest';
import { getTestApp } from '../../test/harness.js';
import { postPolicy, postSchedule, slaWorld, type SlaWorld } from './test-support.js';

beforeAll(async () => {
  await getTestApp();
});

type ErrorBody = { error: { code: string; details?: Record<string, unknown> } };
const NOBODY = '00000000-0000-4000-8000-000000000000';

async function post(world: SlaWorld, payload: Record<string, unknown>, headers = world.admin.headers) {
  return world.app.inject({
    method: 'POST',
    url: '/api/v1/sla-policies',
    headers,
    payload: { name: 'Billing', time_basis: 'calendar', targets: { first_reply_minutes: 240 }, ...payload },
  });
}

describe('SLA policies API', () => {
  it('creates a policy with conditions, targets, pause statuses, warning and escalations; agents read it', async () => {
    const world = await slaWorld();
    const hours = await postSchedule(world, {});
    const res = await post(world, {
      description: 'Billing questions',
      conditions: {
        category: ['billing', 'payment'],
        priority: ['normal', 'high'],
        team_ids: [world.team.id],
        channel: ['email'],
        customer_tags: ['VIP'],
      },
      targets: { first_reply_minutes: 240, next_reply_minutes: 480, resolution_minutes: 1440 },
      time_basis: 'business',
      schedule_id: hours.id,
      pause_statuses: ['pending'],
      warning_minutes: 30,
      escalations: {
        warning: [{ type: 'notify', assignee: true, roles: ['supervisor'] }],
        breach: [
          { type: 'raise_priority', to: 'urgent' },
          { type: 'reassign', team_id: world.escalation.id, queue_id: world.escalation.queues[0]!.id },
          { type: 'add_follower', agent_id: world.supervisor.id },
          { type: 'notify', agent_ids: [world.supervisor.id] },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const policy = res.json<{ id: string }>();
    expect(res.json()).toMatchObject({
      position: 0,
      enabled: true,
      conditions: { customer_tags: ['vip'], team_ids: [world.team.id] },
      targets: { first_reply_minutes: 240, next_reply_minutes: 480, resolution_minutes: 1440 },
      time_basis: 'business',
      schedule_id: hours.id,
      pause_statuses: ['pending'],
      warning_minutes: 30,
      version: 1,
    });
    const read = await world.app.inject({ method: 'GET', url: `/api/v1/sla-policies/${policy.id}`, headers: world.agent.headers });
    expect(read.statusCode).toBe(200);
    expect(read.json<{ escalations: { breach: unknown[] } }>().escalations.breach).toHaveLength(4);
  });

  it('defaults to pausing in pending and on_hold with a 60-minute warning', async () => {
    const world = await slaWorld();
    const res = await post(world, {});
    expect(res.json()).toMatchObject({ pause_statuses: ['pending', 'on_hold'], warning_minutes: 60, schedule_id: null, conditions: {} });
  });

  it('lists in position order and reorders; the order must name every policy once (422)', async () => {
    const world = await slaWorld();
    const a = await postPolicy(world, { targets: { first_reply_minutes: 60 } });
    const b = await postPolicy(world, { targets: { first_reply_minutes: 60 } });
    const c = await postPolicy(world, { targets: { first_reply_minutes: 60 } });
    expect([a.position, b.position, c.position]).toEqual([0, 1, 2]);
    const reordered = await world.app.inject({
      method: 'PUT',
      url: '/api/v1/sla-policies/order',
      headers: world.admin.headers,
      payload: { policy_ids: [c.id, a.id, b.id] },
    });
    expect(reordered.statusCode, reordered.body).toBe(200);
    expect(reordered.json<{ data: { id: string; position: number }[] }>().data.map((p) => [p.id, p.position])).toEqual([
      [c.id, 0],
      [a.id, 1],
      [b.id, 2],
    ]);
    const page1 = await world.app.inject({ method: 'GET', url: '/api/v1/sla-policies?limit=2', headers: world.agent.headers });
    const first = page1.json<{ data: { id: string }[]; next_cursor: string }>();
    expect(first.data.map((p) => p.id)).toEqual([c.id, a.id]);
    const page2 = await world.app.inject({
      method: 'GET',
      url: `/api/v1/sla-policies?limit=2&cursor=${first.next_cursor}`,
      headers: world.agent.headers,
    });
    expect(page2.json<{ data: { id: string }[] }>().data.map((p) => p.id)).toEqual([b.id]);

    const missing = await world.app.inject({
      method: 'PUT',
      url: '/api/v1/sla-policies/order',
      headers: world.admin.headers,
      payload: { policy_ids: [c.id, NOBODY] },
    });
    expect(missing.statusCode).toBe(422);
    expect(missing.json()).toMatchObject({
      error: { code: 'sla.order_mismatch', details: { unknown_ids: [NOBODY], missing_ids: expect.arrayContaining([a.id, b.id]) } },
    });
  });

  it('changes and deletes a policy; a changed policy gets a new version', async () => {
    const world = await slaWorld();
    const hours = await postSchedule(world, {});
    const policy = await postPolicy(world, { time_basis: 'business', schedule_id: hours.id, targets: { first_reply_minutes: 60 } });
    const patched = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/sla-policies/${policy.id}`,
      headers: world.admin.headers,
      payload: { time_basis: 'calendar', targets: { resolution_minutes: 600 }, enabled: false },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({
      version: 2,
      time_basis: 'calendar',
      schedule_id: null,
      enabled: false,
      targets: { first_reply_minutes: null, next_reply_minutes: null, resolution_minutes: 600 },
    });
    const deleted = await world.app.inject({ method: 'DELETE', url: `/api/v1/sla-policies/${policy.id}`, headers: world.admin.headers });
    expect(deleted.statusCode).toBe(204);
    expect(
      (await world.app.inject({ method: 'GET', url: `/api/v1/sla-policies/${policy.id}`, headers: world.admin.headers })).statusCode,
    ).toBe(404);
  });

  it('answers each invalid policy with its precise error', async () => {
    const world = await slaWorld();
    const hours = await postSchedule(world, {});
    const cases: [Record<string, unknown>, number, string][] = [
      [{ targets: {} }, 400, 'sla.no_targets'],
      [{ targets: { first_reply_minutes: null } }, 400, 'sla.no_targets'],
      [{ targets: { first_reply_minutes: 0 } }, 400, 'validation_failed'],
      [{ time_basis: 'calendar', schedule_id: hours.id }, 400, 'sla.schedule_needs_business_time'],
      [{ time_basis: 'sometimes' }, 400, 'validation_failed'],
      [{ pause_statuses: ['solved'] }, 400, 'validation_failed'],
      [{ conditions: { priority: ['critical'] } }, 400, 'validation_failed'],
      [{ conditions: { team_ids: [NOBODY] } }, 422, 'sla.unknown_team'],
      [{ time_basis: 'business', schedule_id: NOBODY }, 422, 'sla.unknown_business_hours'],
      [{ escalations: { breach: [{ type: 'notify' }] } }, 400, 'sla.notify_without_recipients'],
      [{ escalations: { breach: [{ type: 'reassign' }] } }, 400, 'sla.reassign_without_target'],
      [{ escalations: { breach: [{ type: 'reassign', queue_id: NOBODY, agent_id: world.agent.id }] } }, 400, 'sla.queue_without_team'],
      [{ escalations: { breach: [{ type: 'reassign', team_id: NOBODY }] } }, 422, 'sla.unknown_team'],
      [
        { escalations: { breach: [{ type: 'reassign', team_id: world.team.id, queue_id: world.escalation.queues[0]!.id }] } },
        422,
        'sla.unknown_queue',
      ],
      [{ escalations: { warning: [{ type: 'add_follower', agent_id: NOBODY }] } }, 422, 'sla.unknown_agent'],
      [{ escalations: { warning: [{ type: 'notify', agent_ids: [NOBODY] }] } }, 422, 'sla.unknown_agent'],
      [{ escalations: { warning: [{ type: 'explode' }] } }, 400, 'validation_failed'],
    ];
    for (const [payload, status, code] of cases) {
      const res = await post(world, payload);
      expect([JSON.stringify(payload), res.statusCode, res.json<ErrorBody>().error.code]).toEqual([JSON.stringify(payload), status, code]);
    }
    const unknownTeam = await post(world, { conditions: { team_ids: [NOBODY] } });
    expect(unknownTeam.json<ErrorBody>().error.details).toMatchObject({ field: 'conditions.team_ids', team_id: NOBODY });
    expect(await world.db.selectFrom('sla_policies').select('id').where('workspace_id', '=', world.workspace.id).execute()).toHaveLength(0);
  });

  it('refuses a taken name (409), agents managing (403) and other workspaces’ policies (404)', async () => {
    const world = await slaWorld();
    const policy = await postPolicy(world, { name: 'Standard', targets: { first_reply_minutes: 60 } });
    expect((await post(world, { name: 'Standard' })).json<ErrorBody>().error.code).toBe('sla.policy_name_taken');
    expect((await post(world, { name: 'Mine' }, world.agent.headers)).statusCode).toBe(403);
    expect((await post(world, { name: 'Supervised' }, world.supervisor.headers)).statusCode).toBe(403);
    const other = await slaWorld();
    const res = await other.app.inject({
      method: 'PATCH',
      url: `/api/v1/sla-policies/${policy.id}`,
      headers: other.admin.headers,
      payload: { enabled: false },
    });
    expect(res.statusCode).toBe(404);
    expect(res.json<ErrorBody>().error.code).toBe('sla_policy.not_found');
  });

  it('replays a create with the same Idempotency-Key', async () => {
    const world = await slaWorld();
    const headers = { ...world.admin.headers, 'idempotency-key': 'policy-1' };
    const first = await post(world, { name: 'Once' }, headers);
    const second = await post(world, { name: 'Once' }, headers);
    expect(second.statusCode).toBe(201);
    expect(second.json<{ id: string }>().id).toBe(first.json<{ id: string }>().id);
  });
});
