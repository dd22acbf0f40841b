import { beforeAll, describe, expect, it } from 'vitest';
import { createAgent, createWorkspace, unique } from '../../test/factories.js';
import { getTestApp } from '../../test/harness.js';
import { followupWorld, putSettings } from './test-support.js';

beforeAll(async () => {
  await getTestApp();
});

const off = { pending_reminder_after_days: null, pending_solve_after_days: null, checkin_after_days: null };

describe('follow-up settings', () => {
  it('lists the default and per-policy settings with the built-in texts; admins change them, agents read them', async () => {
    const world = await followupWorld();
    const empty = await world.app.inject({ method: 'GET', url: '/api/v1/followup-settings', headers: world.agent.headers });
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toMatchObject({
      default: { sla_policy_id: null, ...off, reminder_body: null, updated_at: null },
      policies: [],
      built_in: { reminder_body: { en: expect.stringContaining('{{customer.first_name}}'), de: expect.stringContaining('Guten Tag') } },
    });
    const policy = await world.app.inject({
      method: 'POST',
      url: '/api/v1/sla-policies',
      headers: world.admin.headers,
      payload: { name: unique('Policy'), time_basis: 'calendar', targets: { first_reply_minutes: 60 } },
    });
    const policyId = policy.json<{ id: string }>().id;
    await putSettings(world, 'default', {
      pending_reminder_after_days: 3,
      pending_solve_after_days: 7,
      checkin_after_days: 2,
      checkin_body: '  ',
    });
    const put = await putSettings(world, `policies/${policyId}`, {
      ...off,
      checkin_after_days: 1,
      checkin_body: 'All good, {{customer.first_name}}?',
    });
    expect(put.json()).toMatchObject({
      sla_policy_id: policyId,
      checkin_after_days: 1,
      checkin_body: 'All good, {{customer.first_name}}?',
    });
    // Again: an update of the same row, not a second one.
    await putSettings(world, `policies/${policyId}`, { ...off, checkin_after_days: 4 });
    const list = await world.app.inject({ method: 'GET', url: '/api/v1/followup-settings', headers: world.agent.headers });
    expect(list.json()).toMatchObject({
      default: { pending_reminder_after_days: 3, pending_solve_after_days: 7, checkin_after_days: 2, checkin_body: null },
      policies: [{ sla_policy_id: policyId, checkin_after_days: 4, checkin_body: null }],
    });

    const asAgent = await world.app.inject({
      method: 'PUT',
      url: '/api/v1/followup-settings/default',
      headers: world.agent.headers,
      payload: off,
    });
    expect(asAgent.statusCode).toBe(403);
    const del = await world.app.inject({
      method: 'DELETE',
      url: `/api/v1/followup-settings/policies/${policyId}`,
      headers: world.admin.headers,
    });
    expect(del.statusCode).toBe(204);
    const after = await world.app.inject({ method: 'GET', url: '/api/v1/followup-settings', headers: world.admin.headers });
    expect(after.json<{ policies: unknown[] }>().policies).toEqual([]);
  });

  it('refuses days outside 1..365, auto-solve without a reminder, unknown placeholders, unknown or foreign policies', async () => {
    const world = await followupWorld();
    const put = (path: string, payload: Record<string, unknown>) =>
      world.app.inject({ method: 'PUT', url: `/api/v1/followup-settings/${path}`, headers: world.admin.headers, payload });
    for (const bad of [0, 366, -1, 1.5]) {
      const res = await put('default', { ...off, pending_reminder_after_days: bad });
      expect(res.statusCode, String(bad)).toBe(400);
    }
    expect((await put('default', { ...off, checkin_after_days: '3' })).statusCode).toBe(400);
    expect((await put('default', { pending_reminder_after_days: 3 })).statusCode).toBe(400);
    expect((await put('default', { ...off, extra: 1 })).statusCode).toBe(400);
    const solveOnly = await put('default', { ...off, pending_solve_after_days: 3 });
    expect(solveOnly.statusCode).toBe(400);
    expect(solveOnly.json<{ error: { code: string } }>().error.code).toBe('followup.solve_needs_reminder');
    const placeholder = await put('default', { ...off, reminder_body: 'Hi {{customer.shoe_size}}' });
    expect(placeholder.statusCode).toBe(400);
    expect(placeholder.json<{ error: { code: string; details: { placeholders: string[] } } }>().error).toMatchObject({
      code: 'followup.unknown_placeholder',
      details: { placeholders: ['customer.shoe_size'] },
    });
    expect((await put('default', { ...off, reminder_body: 'x'.repeat(5001) })).statusCode).toBe(400);

    const unknown = await put('policies/00000000-0000-4000-8000-000000000000', off);
    expect(unknown.statusCode).toBe(404);
    // Another workspace's policy is unknown here.
    const outsider = await createAgent(await createWorkspace(), { role: 'admin' });
    const foreign = await world.app.inject({
      method: 'POST',
      url: '/api/v1/sla-policies',
      headers: outsider.headers,
      payload: { name: unique('Policy'), time_basis: 'calendar', targets: { first_reply_minutes: 60 } },
    });
    const foreignId = foreign.json<{ id: string }>().id;
    expect((await put(`policies/${foreignId}`, off)).statusCode).toBe(404);
    const delForeign = await world.app.inject({
      method: 'DELETE',
      url: `/api/v1/followup-settings/policies/${foreignId}`,
      headers: world.admin.headers,
    });
    expect(delForeign.statusCode).toBe(404);
    const list = await world.app.inject({ method: 'GET', url: '/api/v1/followup-settings', headers: world.admin.headers });
    expect(list.json()).toMatchObject({ default: off, policies: [] });
  });
});
