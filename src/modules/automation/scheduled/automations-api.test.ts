import { beforeAll, describe, expect, it } from 'vitest';
import { getTestApp } from '../../../test/harness.js';
import { createAgent, createWorkspace, unique } from '../../../test/factories.js';
import type { ErrorResponse } from '../../cases/test-support.js';
import type { ScheduledView } from './rule-schemas.js';
import { automationWorld, closeAfterFourDays, postAutomation } from './test-support.js';

// Building the app (every module's routes) is the slow part: done once, under the hook timeout.
beforeAll(async () => {
  await getTestApp();
});

describe('scheduled automations API', () => {
  it('creates, reads, lists, changes (version) and deletes a rule; agents read, only admins manage', async () => {
    const world = await automationWorld();
    const created = await postAutomation(world, { name: 'Close solved cases after 4 days', description: 'Zendesk default' });
    expect(created).toMatchObject({
      name: 'Close solved cases after 4 days',
      description: 'Zendesk default',
      enabled: true,
      position: 0,
      version: 1,
      last_run_at: null,
      conditions: closeAfterFourDays.conditions,
      actions: closeAfterFourDays.actions,
    });
    const second = await postAutomation(world);
    expect(second.position).toBe(1);

    const read = await world.app.inject({ method: 'GET', url: `/api/v1/automations/${created.id}`, headers: world.agent.headers });
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json<ScheduledView>().id).toBe(created.id);
    const list = await world.app.inject({ method: 'GET', url: '/api/v1/automations?limit=1', headers: world.agent.tokenHeaders });
    expect(list.statusCode, list.body).toBe(200);
    const page = list.json<{ data: ScheduledView[]; next_cursor: string | null }>();
    expect(page.data.map((r) => r.id)).toEqual([created.id]);
    const rest = await world.app.inject({
      method: 'GET',
      url: `/api/v1/automations?limit=1&cursor=${page.next_cursor}`,
      headers: world.agent.headers,
    });
    expect(rest.json<{ data: ScheduledView[] }>().data.map((r) => r.id)).toEqual([second.id]);

    const byAgent = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/automations/${created.id}`,
      headers: world.agent.headers,
      payload: { version: 1, enabled: false },
    });
    expect(byAgent.statusCode).toBe(403);
    const agentCreate = await world.app.inject({
      method: 'POST',
      url: '/api/v1/automations',
      headers: world.agent.headers,
      payload: { name: 'Nope', ...closeAfterFourDays },
    });
    expect(agentCreate.statusCode).toBe(403);

    const patched = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/automations/${created.id}`,
      headers: world.admin.headers,
      payload: { version: 1, enabled: false, name: 'Close solved after 4 days' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json<ScheduledView>()).toMatchObject({ enabled: false, version: 2, name: 'Close solved after 4 days' });
    const stale = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/automations/${created.id}`,
      headers: world.admin.headers,
      payload: { version: 1, enabled: true },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json<ErrorResponse>().error).toMatchObject({ code: 'automation.stale_version', details: { current_version: 2 } });

    const removed = await world.app.inject({ method: 'DELETE', url: `/api/v1/automations/${created.id}`, headers: world.admin.headers });
    expect(removed.statusCode).toBe(204);
    const gone = await world.app.inject({ method: 'GET', url: `/api/v1/automations/${created.id}`, headers: world.admin.headers });
    expect(gone.statusCode).toBe(404);
    expect(gone.json<ErrorResponse>().error.code).toBe('automation.not_found');
  });

  it('refuses a rule without a time condition, event-only conditions, bad values and unknown fields (400 with fields)', async () => {
    const world = await automationWorld();
    const post = (payload: Record<string, unknown>) =>
      world.app.inject({
        method: 'POST',
        url: '/api/v1/automations',
        headers: world.admin.headers,
        payload: { name: unique('R'), ...payload },
      });

    const noTime = await post({
      conditions: {
        all: [{ field: 'status', operator: 'is', value: 'solved' }],
        any: [{ field: 'hours_since_created', operator: 'gt', value: 5 }],
      },
      actions: closeAfterFourDays.actions,
    });
    expect(noTime.statusCode).toBe(400);
    expect(noTime.json<ErrorResponse>().error).toMatchObject({
      code: 'automation.time_condition_required',
      details: { fields: [{ field: 'conditions.all' }] },
    });

    const eventOnly = await post({
      conditions: { all: [...closeAfterFourDays.conditions.all, { field: 'actor_type', operator: 'is', value: 'agent' }], any: [] },
      actions: closeAfterFourDays.actions,
    });
    expect(eventOnly.statusCode).toBe(400);
    expect(eventOnly.json<ErrorResponse>().error.details?.fields?.[0]?.field).toBe('conditions.all[2].field');

    const badHours = await post({
      conditions: { all: [{ field: 'hours_since_updated', operator: 'is', value: 3 }], any: [] },
      actions: closeAfterFourDays.actions,
    });
    expect(badHours.statusCode).toBe(400);
    expect(badHours.json<ErrorResponse>().error.details?.fields?.[0]?.field).toBe('conditions.all[0].operator');

    const onlyClosed = await post({
      conditions: {
        all: [
          { field: 'status', operator: 'is', value: 'closed' },
          { field: 'hours_since_updated', operator: 'gt', value: 3 },
        ],
        any: [],
      },
      actions: [{ type: 'add_tags', tags: ['old'] }],
    });
    expect(onlyClosed.statusCode).toBe(400);
    expect(onlyClosed.json<ErrorResponse>().error.code).toBe('automation.no_status_left');

    const noActions = await post({ conditions: closeAfterFourDays.conditions, actions: [] });
    expect(noActions.statusCode).toBe(400);
    expect(noActions.json<ErrorResponse>().error.details?.fields).toBeDefined();

    const unknownField = await post({ ...closeAfterFourDays, schedule: 'hourly' });
    expect(unknownField.statusCode).toBe(400);
    expect(unknownField.json<ErrorResponse>().error.details?.fields).toBeDefined();

    const longName = await post({ ...closeAfterFourDays, name: 'x'.repeat(101) });
    expect(longName.statusCode).toBe(400);

    const badNotify = await post({
      conditions: closeAfterFourDays.conditions,
      actions: [{ type: 'notify', subject: 'Old', body: 'Still solved' }],
    });
    expect(badNotify.statusCode).toBe(400);
    expect(badNotify.json<ErrorResponse>().error.details?.fields?.[0]?.field).toBe('actions[0]');

    const unknownTeam = await post({
      conditions: closeAfterFourDays.conditions,
      actions: [{ type: 'assign_team', team_id: '00000000-0000-4000-8000-000000000000' }],
    });
    expect(unknownTeam.statusCode).toBe(422);
    expect(unknownTeam.json<ErrorResponse>().error).toMatchObject({
      code: 'automation.unknown_team',
      details: { fields: [{ field: 'actions[0].team_id' }] },
    });

    const created = await postAutomation(world);
    const rotateNothing = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/automations/${created.id}`,
      headers: world.admin.headers,
      payload: { version: 1, rotate_webhook_secret: true },
    });
    expect(rotateNothing.statusCode).toBe(422);
    expect(rotateNothing.json<ErrorResponse>().error.code).toBe('automation.no_webhook');
    const patchNoTime = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/automations/${created.id}`,
      headers: world.admin.headers,
      payload: { version: 1, conditions: { all: [{ field: 'status', operator: 'is', value: 'solved' }], any: [] } },
    });
    expect(patchNoTime.statusCode).toBe(400);
    expect(patchNoTime.json<ErrorResponse>().error.code).toBe('automation.time_condition_required');
    const patchNothing = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/automations/${created.id}`,
      headers: world.admin.headers,
      payload: { version: 1 },
    });
    expect(patchNothing.statusCode).toBe(400);
  });

  it('refuses a second rule of the same name (409) and replays a create with the same Idempotency-Key', async () => {
    const world = await automationWorld();
    const body = { name: 'Close solved', ...closeAfterFourDays };
    const headers = { ...world.admin.headers, 'idempotency-key': unique('key') };
    const first = await world.app.inject({ method: 'POST', url: '/api/v1/automations', headers, payload: body });
    const again = await world.app.inject({ method: 'POST', url: '/api/v1/automations', headers, payload: body });
    expect(first.statusCode, first.body).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json<ScheduledView>().id).toBe(first.json<ScheduledView>().id);
    const dup = await world.app.inject({
      method: 'POST',
      url: '/api/v1/automations',
      headers: world.admin.headers,
      payload: { ...body, name: 'close SOLVED' },
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json<ErrorResponse>().error.code).toBe('automation.name_taken');
  });

  it("answers 404 for another workspace's rule on every route", async () => {
    const world = await automationWorld();
    const rule = await postAutomation(world);
    const other = await createWorkspace();
    const outsider = await createAgent(other, { role: 'admin' });
    const calls = [
      { method: 'GET' as const, url: `/api/v1/automations/${rule.id}` },
      { method: 'PATCH' as const, url: `/api/v1/automations/${rule.id}`, payload: { version: 1, enabled: false } },
      { method: 'DELETE' as const, url: `/api/v1/automations/${rule.id}` },
      { method: 'GET' as const, url: `/api/v1/automations/${rule.id}/preview` },
      { method: 'POST' as const, url: `/api/v1/automations/${rule.id}/run` },
    ];
    for (const call of calls) {
      const res = await world.app.inject({ ...call, headers: outsider.headers });
      expect(res.statusCode, `${call.method} ${call.url}`).toBe(404);
      expect(res.json<ErrorResponse>().error.code).toBe('automation.not_found');
    }
    const list = await world.app.inject({ method: 'GET', url: '/api/v1/automations', headers: outsider.headers });
    expect(list.json<{ data: ScheduledView[] }>().data).toEqual([]);
    const reorder = await world.app.inject({
      method: 'PUT',
      url: '/api/v1/automations/order',
      headers: outsider.headers,
      payload: { automation_ids: [rule.id] },
    });
    expect(reorder.statusCode).toBe(422);
  });

  it('reorders rules: every id once, or 422', async () => {
    const world = await automationWorld();
    const a = await postAutomation(world);
    const b = await postAutomation(world);
    const c = await postAutomation(world);
    const res = await world.app.inject({
      method: 'PUT',
      url: '/api/v1/automations/order',
      headers: world.admin.headers,
      payload: { automation_ids: [c.id, a.id, b.id] },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ data: ScheduledView[] }>().data.map((r) => [r.id, r.position])).toEqual([
      [c.id, 0],
      [a.id, 1],
      [b.id, 2],
    ]);
    const missing = await world.app.inject({
      method: 'PUT',
      url: '/api/v1/automations/order',
      headers: world.admin.headers,
      payload: { automation_ids: [c.id, a.id] },
    });
    expect(missing.statusCode).toBe(422);
    expect(missing.json<ErrorResponse>().error).toMatchObject({ code: 'automation.order_mismatch', details: { missing_ids: [b.id] } });
    const byAgent = await world.app.inject({
      method: 'PUT',
      url: '/api/v1/automations/order',
      headers: world.agent.headers,
      payload: { automation_ids: [a.id, b.id, c.id] },
    });
    expect(byAgent.statusCode).toBe(403);
  });

  it('gives a rule with a webhook action its signing secret once', async () => {
    const world = await automationWorld();
    const rule = await postAutomation(world, { actions: [{ type: 'webhook', url: 'https://hooks.example.test/baton' }] });
    expect(rule.webhook_secret).toMatch(/^whsec_/);
    expect(rule.actions).toEqual([{ type: 'webhook', url: 'https://hooks.example.test/baton', secret_set: true }]);
    const read = await world.app.inject({ method: 'GET', url: `/api/v1/automations/${rule.id}`, headers: world.admin.headers });
    expect(read.json<ScheduledView>().webhook_secret).toBeUndefined();
    const rotated = await world.app.inject({
      method: 'PATCH',
      url: `/api/v1/automations/${rule.id}`,
      headers: world.admin.headers,
      payload: { version: rule.version, rotate_webhook_secret: true },
    });
    expect(rotated.statusCode, rotated.body).toBe(200);
    expect(rotated.json<ScheduledView>().webhook_secret).toMatch(/^whsec_/);
    expect(rotated.json<ScheduledView>().webhook_secret).not.toBe(rule.webhook_secret);
  });
});
