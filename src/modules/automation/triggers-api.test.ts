import { beforeAll, describe, expect, it } from 'vitest';
import { createAgent, createWorkspace, unique } from '../../test/factories.js';
import { getTestApp } from '../../test/harness.js';
import { automationWorld, postTrigger } from './test-support.js';

// Starting the database and server is slow on a busy machine: let the hook pay for it.
beforeAll(async () => {
  await getTestApp();
});

const basic = {
  events: ['case.created'],
  conditions: { all: [{ field: 'priority', operator: 'is', value: 'high' }], any: [] },
  actions: [{ type: 'add_tags', tags: ['Urgent'] }],
};

describe('triggers API', () => {
  it('creates, reads, lists in order, changes with a version and deletes a trigger', async () => {
    const world = await automationWorld();
    const created = await postTrigger(world, { ...basic, name: 'Tag high priority' });
    expect(created).toMatchObject({ name: 'Tag high priority', enabled: true, position: 1, version: 1, events: ['case.created'] });
    expect((created as unknown as { actions: unknown[] }).actions).toEqual([{ type: 'add_tags', tags: ['urgent'] }]);
    const second = await postTrigger(world, basic);
    expect(second.position).toBe(2);

    const list = await world.app.inject({ method: 'GET', url: '/api/v1/triggers', headers: world.agent.headers });
    expect(list.statusCode).toBe(200);
    expect(list.json<{ data: { id: string }[] }>().data.map((t) => t.id)).toEqual([created.id, second.id]);

    const one = await world.app.inject({ method: 'GET', url: `/api/v1/triggers/${created.id}`, headers: world.agent.tokenHeaders });
    expect(one.json()).toMatchObject({ id: created.id, name: 'Tag high priority' });

    const patched = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/triggers/${created.id}`,
      headers: world.admin.headers,
      payload: { version: 1, enabled: false, name: 'Tag high ones' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ enabled: false, name: 'Tag high ones', version: 2 });

    const stale = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/triggers/${created.id}`,
      headers: world.admin.headers,
      payload: { version: 1, enabled: true },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('automation.stale_version');

    const reordered = await world.app.inject({
      method: 'PUT',
      url: '/api/v1/triggers/order',
      headers: world.admin.headers,
      payload: { trigger_ids: [second.id, created.id] },
    });
    expect(reordered.statusCode, reordered.body).toBe(200);
    expect(reordered.json<{ data: { id: string; position: number }[] }>().data.map((t) => [t.id, t.position])).toEqual([
      [second.id, 1],
      [created.id, 2],
    ]);
    const partial = await world.app.inject({
      method: 'PUT',
      url: '/api/v1/triggers/order',
      headers: world.admin.headers,
      payload: { trigger_ids: [second.id] },
    });
    expect(partial.statusCode).toBe(422);
    expect(partial.json().error.code).toBe('automation.order_mismatch');

    const deleted = await world.app.inject({ method: 'DELETE', url: `/api/v1/triggers/${created.id}`, headers: world.admin.headers });
    expect(deleted.statusCode).toBe(204);
    const gone = await world.app.inject({ method: 'GET', url: `/api/v1/triggers/${created.id}`, headers: world.admin.headers });
    expect(gone.statusCode).toBe(404);
  });

  it('answers a repeated create with the same Idempotency-Key once', async () => {
    const world = await automationWorld();
    const key = unique('key');
    const payload = { ...basic, name: unique('Once') };
    const first = await world.app.inject({
      method: 'POST',
      url: '/api/v1/triggers',
      headers: { ...world.admin.headers, 'idempotency-key': key },
      payload,
    });
    const again = await world.app.inject({
      method: 'POST',
      url: '/api/v1/triggers',
      headers: { ...world.admin.headers, 'idempotency-key': key },
      payload,
    });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json().id).toBe(first.json().id);
    const list = await world.app.inject({ method: 'GET', url: '/api/v1/triggers', headers: world.admin.headers });
    expect(list.json<{ data: unknown[] }>().data).toHaveLength(1);
  });

  it('lets agents read but only admins manage', async () => {
    const world = await automationWorld();
    const created = await postTrigger(world, basic);
    for (const headers of [world.agent.headers, world.supervisor.headers]) {
      const post = await world.app.inject({ method: 'POST', url: '/api/v1/triggers', headers, payload: { ...basic, name: unique('No') } });
      expect(post.statusCode).toBe(403);
      const patch = await world.app.inject({
        method: 'PATCH',
        url: `/api/v1/triggers/${created.id}`,
        headers,
        payload: { version: 1, enabled: false },
      });
      expect(patch.statusCode).toBe(403);
      const del = await world.app.inject({ method: 'DELETE', url: `/api/v1/triggers/${created.id}`, headers });
      expect(del.statusCode).toBe(403);
    }
  });

  it('answers 404 for a trigger of another workspace', async () => {
    const world = await automationWorld();
    const created = await postTrigger(world, basic);
    const stranger = await createAgent(await createWorkspace(), { role: 'admin' });
    for (const [method, payload] of [
      ['GET', undefined],
      ['PATCH', { version: 1, enabled: false }],
      ['DELETE', undefined],
    ] as const) {
      const res = await world.app.inject({
        method,
        url: `/api/v1/triggers/${created.id}`,
        headers: stranger.headers,
        ...(payload ? { payload } : {}),
      });
      expect(res.statusCode, `${method} ${res.body}`).toBe(404);
      expect(res.json().error.code).toBe('trigger.not_found');
    }
    const deliveries = await world.app.inject({
      method: 'GET',
      url: `/api/v1/triggers/${created.id}/deliveries`,
      headers: stranger.headers,
    });
    expect(deliveries.statusCode).toBe(404);
    const runs = await world.app.inject({
      method: 'GET',
      url: `/api/v1/cases/${crypto.randomUUID()}/automation-runs`,
      headers: stranger.headers,
    });
    expect(runs.statusCode).toBe(404);
  });

  it('refuses bad conditions and actions with the field at fault', async () => {
    const world = await automationWorld();
    const cases: [Record<string, unknown>, string][] = [
      [
        {
          conditions: {
            all: [
              { field: 'priority', operator: 'is', value: 'high' },
              { field: 'status', operator: 'is', value: 'bogus' },
            ],
            any: [],
          },
        },
        'conditions.all[1].value',
      ],
      [{ conditions: { all: [], any: [{ field: 'subject', operator: 'gt', value: 3 }] } }, 'conditions.any[0].operator'],
      [{ conditions: { all: [{ field: 'hours_since_created', operator: 'gt', value: 'soon' }], any: [] } }, 'conditions.all[0].value'],
      [{ conditions: { all: [{ field: 'tags', operator: 'includes', value: [] }], any: [] } }, 'conditions.all[0].value'],
      [{ conditions: { all: [{ field: 'changed', operator: 'is', value: 'subject' }], any: [] } }, 'conditions.all[0].value'],
      [{ actions: [{ type: 'notify', subject: 'Hi', body: 'There' }] }, 'actions[0]'],
      [
        {
          actions: [
            { type: 'add_tags', tags: ['a'] },
            { type: 'webhook', url: 'ftp://example.com/hook' },
          ],
        },
        'actions[1].url',
      ],
    ];
    for (const [override, field] of cases) {
      const res = await world.app.inject({
        method: 'POST',
        url: '/api/v1/triggers',
        headers: world.admin.headers,
        payload: { ...basic, name: unique('Bad'), ...override },
      });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.details.fields.map((f: { field: string }) => f.field)).toContain(field);
    }
    const unknownEvent = await world.app.inject({
      method: 'POST',
      url: '/api/v1/triggers',
      headers: world.admin.headers,
      payload: { ...basic, name: unique('Bad'), events: ['case.deleted'] },
    });
    expect(unknownEvent.statusCode).toBe(400);
    const unknownField = await world.app.inject({
      method: 'POST',
      url: '/api/v1/triggers',
      headers: world.admin.headers,
      payload: { ...basic, name: unique('Bad'), actions: [{ type: 'set_status', status: 'open', extra: 1 }] },
    });
    expect(unknownField.statusCode).toBe(400);
    const duplicate = await postTrigger(world, basic);
    const taken = await world.app.inject({
      method: 'POST',
      url: '/api/v1/triggers',
      headers: world.admin.headers,
      payload: {
        ...basic,
        name: (await world.app.inject({ method: 'GET', url: `/api/v1/triggers/${duplicate.id}`, headers: world.admin.headers })).json()
          .name,
      },
    });
    expect(taken.statusCode).toBe(409);
  });

  it('refuses teams, queues and agents that do not exist in the workspace (422)', async () => {
    const world = await automationWorld();
    const other = await createAgent(await createWorkspace());
    const cases: [unknown[], string, string][] = [
      [[{ type: 'assign_team', team_id: crypto.randomUUID() }], 'actions[0].team_id', 'automation.unknown_team'],
      [[{ type: 'assign_team', team_id: world.team.id, queue_id: crypto.randomUUID() }], 'actions[0].queue_id', 'automation.unknown_queue'],
      [[{ type: 'assign_agent', agent_id: other.id }], 'actions[0].agent_id', 'automation.unknown_agent'],
      [
        [{ type: 'notify', agent_ids: [world.agent.id, other.id], subject: 'S', body: 'B' }],
        'actions[0].agent_ids[1]',
        'automation.unknown_agent',
      ],
    ];
    for (const [actions, field, code] of cases) {
      const res = await world.app.inject({
        method: 'POST',
        url: '/api/v1/triggers',
        headers: world.admin.headers,
        payload: { ...basic, name: unique('Ref'), actions },
      });
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().error).toMatchObject({ code, details: { field } });
    }
    const ok = await postTrigger(world, {
      ...basic,
      actions: [{ type: 'assign_team', team_id: world.team.id, queue_id: world.team.queues[0]!.id }],
    });
    expect(ok.id).toBeTruthy();
  });

  it('shows a webhook secret once, on create and on rotation', async () => {
    const world = await automationWorld();
    const created = await postTrigger(world, { ...basic, actions: [{ type: 'webhook', url: 'https://hooks.example.com/baton' }] });
    expect(created.webhook_secret).toMatch(/^whsec_/);
    const read = await world.app.inject({ method: 'GET', url: `/api/v1/triggers/${created.id}`, headers: world.admin.headers });
    expect(read.json().webhook_secret).toBeUndefined();
    expect(read.json().actions).toEqual([{ type: 'webhook', url: 'https://hooks.example.com/baton', secret_set: true }]);
    const rotated = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/triggers/${created.id}`,
      headers: world.admin.headers,
      payload: { version: 1, rotate_webhook_secret: true },
    });
    expect(rotated.statusCode, rotated.body).toBe(200);
    expect(rotated.json().webhook_secret).toMatch(/^whsec_/);
    expect(rotated.json().webhook_secret).not.toBe(created.webhook_secret);
    const key = unique('key');
    const payload = { ...basic, name: unique('Hook'), actions: [{ type: 'webhook', url: 'https://hooks.example.com/x' }] };
    const first = await world.app.inject({
      method: 'POST',
      url: '/api/v1/triggers',
      headers: { ...world.admin.headers, 'idempotency-key': key },
      payload,
    });
    const replay = await world.app.inject({
      method: 'POST',
      url: '/api/v1/triggers',
      headers: { ...world.admin.headers, 'idempotency-key': key },
      payload,
    });
    expect(first.json().webhook_secret).toMatch(/^whsec_/);
    expect(replay.json().id).toBe(first.json().id);
    expect(replay.json().webhook_secret).toBeUndefined();
    const stored = await world.db.selectFrom('idempotency_keys').select('response').where('key', '=', key).executeTakeFirstOrThrow();
    expect(JSON.stringify(stored.response)).not.toContain(first.json().webhook_secret);

    const plain = await postTrigger(world, basic);
    const noHook = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/triggers/${plain.id}`,
      headers: world.admin.headers,
      payload: { version: 1, rotate_webhook_secret: true },
    });
    expect(noHook.statusCode).toBe(422);
  });
});
