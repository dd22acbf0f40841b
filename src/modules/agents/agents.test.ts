import crypto from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAgent, createTeam, createWorkspace } from '../../test/factories.js';
import { getTestApp, getTestContext } from '../../test/harness.js';
import { getAgentsByIds } from './service.js';
import { hashPassword } from './passwords.js';
import type { AgentView, SessionView } from './views.js';

type PageOf<T> = { data: T[]; next_cursor: string | null };

type ErrorResponse = { error: { code: string; message: string; details?: Record<string, unknown> } };

// Starting the server (and loading the database) is slow on a busy machine: not part of any test's time.
beforeAll(async () => {
  await getTestApp();
});

const randomIp = () => `10.${crypto.randomInt(256)}.${crypto.randomInt(256)}.${crypto.randomInt(1, 255)}`;

describe('agent directory', () => {
  it('lists the workspace agents page by page, filtered by status and team', async () => {
    const app = await getTestApp();
    const workspace = await createWorkspace();
    const viewer = await createAgent(workspace, { name: 'Aaron' });
    const b = await createAgent(workspace, { name: 'Bea' });
    const c = await createAgent(workspace, { name: 'Cid', status: 'deactivated' });
    await createAgent(await createWorkspace(), { name: 'Outsider' });
    await createTeam(workspace, { memberIds: [b.id, c.id] });

    const first = await app.inject({ method: 'GET', url: '/api/v1/agents?limit=2', headers: viewer.headers });
    expect(first.statusCode).toBe(200);
    expect(first.json<PageOf<AgentView>>().data.map((a: { name: string }) => a.name)).toEqual(['Aaron', 'Bea']);
    const second = await app.inject({
      method: 'GET',
      url: `/api/v1/agents?limit=2&cursor=${first.json<PageOf<AgentView>>().next_cursor}`,
      headers: viewer.headers,
    });
    expect(second.json<PageOf<AgentView>>().data.map((a: { name: string }) => a.name)).toEqual(['Cid']);
    expect(second.json<PageOf<AgentView>>().next_cursor).toBeNull();

    const active = await app.inject({ method: 'GET', url: '/api/v1/agents?status=active', headers: viewer.headers });
    expect(active.json<PageOf<AgentView>>().data.map((a: { id: string }) => a.id)).toEqual([viewer.id, b.id]);
    const team = (await getTestContext()).db.selectFrom('team_members').select('team_id').where('agent_id', '=', b.id);
    const teamId = (await team.executeTakeFirstOrThrow()).team_id;
    const members = await app.inject({
      method: 'GET',
      url: `/api/v1/agents?team_id=${teamId}&status=deactivated`,
      headers: viewer.headers,
    });
    expect(members.json<PageOf<AgentView>>().data.map((a: { id: string }) => a.id)).toEqual([c.id]);

    expect((await app.inject({ method: 'GET', url: '/api/v1/agents?cursor=garbage!', headers: viewer.headers })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/v1/agents?status=sleeping', headers: viewer.headers })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/v1/agents?limit=101', headers: viewer.headers })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/v1/agents?sort=name', headers: viewer.headers })).statusCode).toBe(400);
  });

  it('shows one agent, and answers 404 for another workspace and 400 for a malformed id', async () => {
    const app = await getTestApp();
    const workspace = await createWorkspace();
    const viewer = await createAgent(workspace);
    const other = await createAgent(await createWorkspace());
    const self = await app.inject({ method: 'GET', url: `/api/v1/agents/${viewer.id}`, headers: viewer.headers });
    expect(self.json()).toMatchObject({ id: viewer.id, email: viewer.email, capacity: 20 });
    const hidden = await app.inject({ method: 'GET', url: `/api/v1/agents/${other.id}`, headers: viewer.headers });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json<ErrorResponse>().error.code).toBe('agent.not_found');
    expect((await app.inject({ method: 'GET', url: '/api/v1/agents/not-a-uuid', headers: viewer.headers })).statusCode).toBe(400);
  });

  it('getAgentsByIds returns only agents of the actor workspace', async () => {
    const { db } = await getTestContext();
    const workspace = await createWorkspace();
    const a = await createAgent(workspace, { name: 'Ana', role: 'supervisor' });
    const other = await createAgent(await createWorkspace());
    const map = await getAgentsByIds(db, a.actor, [a.id, other.id, a.id]);
    expect([...map.keys()]).toEqual([a.id]);
    expect(map.get(a.id)).toEqual({ id: a.id, name: 'Ana', email: a.email, role: 'supervisor' });
    expect((await getAgentsByIds(db, a.actor, [])).size).toBe(0);
  });
});

describe('PATCH /agents/:id (admin)', () => {
  it('changes name, role and capacity, and audits it', async () => {
    const { db } = await getTestContext();
    const app = await getTestApp();
    const workspace = await createWorkspace();
    const admin = await createAgent(workspace, { role: 'admin' });
    const agent = await createAgent(workspace);
    const res = await app.inject({
      method: 'PATCH',
      url: `/api/v1/agents/${agent.id}`,
      headers: admin.headers,
      payload: { name: 'Renamed', role: 'supervisor', capacity: 3 },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ name: 'Renamed', role: 'supervisor', capacity: 3 });
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'details', 'actor_id'])
      .where('target_id', '=', agent.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['agent.updated', 'agent.role_changed']);
    expect(audit[1]!.details).toEqual({ from: 'agent', to: 'supervisor' });
    expect(audit[1]!.actor_id).toBe(admin.id);
  });

  it('is refused to non-admins (403) and for agents of another workspace (404)', async () => {
    const app = await getTestApp();
    const workspace = await createWorkspace();
    const supervisor = await createAgent(workspace, { role: 'supervisor' });
    const admin = await createAgent(workspace, { role: 'admin' });
    const agent = await createAgent(workspace);
    const foreign = await createAgent(await createWorkspace());
    const denied = await app.inject({
      method: 'PATCH',
      url: `/api/v1/agents/${agent.id}`,
      headers: supervisor.headers,
      payload: { role: 'admin' },
    });
    expect(denied.statusCode).toBe(403);
    const self = await app.inject({
      method: 'PATCH',
      url: `/api/v1/agents/${agent.id}`,
      headers: agent.tokenHeaders,
      payload: { capacity: 1000 },
    });
    expect(self.statusCode).toBe(403);
    const hidden = await app.inject({
      method: 'PATCH',
      url: `/api/v1/agents/${foreign.id}`,
      headers: admin.headers,
      payload: { name: 'Mine now' },
    });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json<ErrorResponse>().error.code).toBe('agent.not_found');
  });

  it('refuses unknown fields, over-long names, bad capacities and the invited status', async () => {
    const app = await getTestApp();
    const workspace = await createWorkspace();
    const admin = await createAgent(workspace, { role: 'admin' });
    const agent = await createAgent(workspace);
    const patch = (payload: object) => app.inject({ method: 'PATCH', url: `/api/v1/agents/${agent.id}`, headers: admin.headers, payload });
    expect((await patch({ email: 'new@example.test' })).statusCode).toBe(400);
    expect((await patch({ password_hash: 'x' })).statusCode).toBe(400);
    expect((await patch({ name: 'x'.repeat(201) })).statusCode).toBe(400);
    expect((await patch({ capacity: -1 })).statusCode).toBe(400);
    expect((await patch({ capacity: 1001 })).statusCode).toBe(400);
    expect((await patch({ capacity: '5' })).statusCode).toBe(400);
    expect((await patch({ status: 'invited' })).statusCode).toBe(400);
  });

  it('deactivation signs the agent out everywhere and revokes its API tokens', async () => {
    const { db } = await getTestContext();
    const app = await getTestApp();
    const workspace = await createWorkspace();
    const admin = await createAgent(workspace, { role: 'admin' });
    const agent = await createAgent(workspace, { presence: 'online' });
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: agent.headers })).statusCode).toBe(200);
    const res = await app.inject({
      method: 'PATCH',
      url: `/api/v1/agents/${agent.id}`,
      headers: admin.headers,
      payload: { status: 'deactivated' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'deactivated', presence: 'offline' });
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: agent.headers })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: agent.tokenHeaders })).statusCode).toBe(401);
    expect(await db.selectFrom('agent_sessions').select('id').where('agent_id', '=', agent.id).execute()).toHaveLength(0);
    const tokens = await db.selectFrom('api_tokens').select('revoked_at').where('agent_id', '=', agent.id).execute();
    expect(tokens.every((t) => t.revoked_at !== null)).toBe(true);
    const audit = await db.selectFrom('audit_log').select('action').where('target_id', '=', agent.id).execute();
    expect(audit.map((a) => a.action)).toContain('agent.deactivated');
    const events = await db.selectFrom('domain_events').select('type').where('aggregate_id', '=', agent.id).execute();
    expect(events.map((e) => e.type)).toEqual(['agent.deactivated']);

    // Reactivated, the agent may sign in again (old sessions and tokens stay dead).
    const back = await app.inject({
      method: 'PATCH',
      url: `/api/v1/agents/${agent.id}`,
      headers: admin.headers,
      payload: { status: 'active' },
    });
    expect(back.json<AgentView>().status).toBe('active');
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: agent.tokenHeaders })).statusCode).toBe(401);
  });

  it('an invited agent becomes active only by accepting the invitation', async () => {
    const app = await getTestApp();
    const workspace = await createWorkspace();
    const admin = await createAgent(workspace, { role: 'admin' });
    const invited = await createAgent(workspace, { status: 'invited' });
    const res = await app.inject({
      method: 'PATCH',
      url: `/api/v1/agents/${invited.id}`,
      headers: admin.headers,
      payload: { status: 'active' },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json<ErrorResponse>().error.code).toBe('agent.not_activated');
  });

  it('keeps an active admin: the last one can neither demote nor deactivate themselves', async () => {
    const app = await getTestApp();
    const workspace = await createWorkspace();
    const admin = await createAgent(workspace, { role: 'admin' });
    await createAgent(workspace, { role: 'admin', status: 'deactivated' });
    const patchSelf = (payload: object) =>
      app.inject({ method: 'PATCH', url: `/api/v1/agents/${admin.id}`, headers: admin.headers, payload });
    const demote = await patchSelf({ role: 'supervisor' });
    expect(demote.statusCode).toBe(422);
    expect(demote.json<ErrorResponse>().error.code).toBe('agent.last_admin');
    const deactivate = await patchSelf({ status: 'deactivated' });
    expect(deactivate.statusCode).toBe(422);
    expect(deactivate.json<ErrorResponse>().error.code).toBe('agent.last_admin');
    expect((await patchSelf({ role: 'admin', name: 'Still admin' })).statusCode).toBe(200);

    // With a second active admin, stepping down is allowed.
    const second = await createAgent(workspace, { role: 'admin' });
    expect((await patchSelf({ role: 'agent' })).statusCode).toBe(200);
    const last = await app.inject({
      method: 'PATCH',
      url: `/api/v1/agents/${second.id}`,
      headers: second.headers,
      payload: { role: 'agent' },
    });
    expect(last.statusCode).toBe(422);
  });

  it('two admins demoting each other at the same time leave one admin', async () => {
    const { db } = await getTestContext();
    const app = await getTestApp();
    const workspace = await createWorkspace();
    const a = await createAgent(workspace, { role: 'admin' });
    const b = await createAgent(workspace, { role: 'admin' });
    const results = await Promise.all([
      app.inject({ method: 'PATCH', url: `/api/v1/agents/${b.id}`, headers: a.headers, payload: { role: 'agent' } }),
      app.inject({ method: 'PATCH', url: `/api/v1/agents/${a.id}`, headers: b.headers, payload: { role: 'agent' } }),
    ]);
    const codes = results.map((r) => r.statusCode).sort();
    // The second one either sees no admin left (422) or had its actor demoted before it ran (403).
    expect(codes[0]).toBe(200);
    expect([403, 422]).toContain(codes[1]);
    const admins = await db
      .selectFrom('agents')
      .select('id')
      .where('workspace_id', '=', workspace.id)
      .where('role', '=', 'admin')
      .execute();
    expect(admins).toHaveLength(1);
  });
});

describe('/me', () => {
  it('shows and changes your own name and language', async () => {
    const app = await getTestApp();
    const agent = await createAgent(await createWorkspace());
    const res = await app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: agent.headers,
      payload: { name: ' Zoë ', locale: 'de-CH' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: agent.id, name: 'Zoë', locale: 'de-CH' });
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: agent.headers })).json<AgentView>().locale).toBe('de-CH');
    const bad = (payload: object) => app.inject({ method: 'PATCH', url: '/api/v1/me', headers: agent.headers, payload });
    expect((await bad({ locale: 'not a locale' })).statusCode).toBe(400);
    expect((await bad({ name: 'x'.repeat(201) })).statusCode).toBe(400);
    expect((await bad({ role: 'admin' })).statusCode).toBe(400);
    expect((await bad({ capacity: 100 })).statusCode).toBe(400);
  });

  it('sets presence and records when', async () => {
    const app = await getTestApp();
    const agent = await createAgent(await createWorkspace(), { presence: 'offline' });
    const before = Date.now();
    const res = await app.inject({ method: 'PUT', url: '/api/v1/me/presence', headers: agent.headers, payload: { presence: 'online' } });
    expect(res.json<AgentView>().presence).toBe('online');
    expect(new Date(res.json<AgentView>().presence_at!).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(
      (await app.inject({ method: 'PUT', url: '/api/v1/me/presence', headers: agent.headers, payload: { presence: 'busy' } })).statusCode,
    ).toBe(400);
  });

  it('changes the password with the current one and signs out the other sessions', async () => {
    const { db } = await getTestContext();
    const app = await getTestApp();
    const agent = await createAgent(await createWorkspace());
    await db
      .updateTable('agents')
      .set({ password_hash: await hashPassword('old password 123') })
      .where('id', '=', agent.id)
      .execute();
    const ip = randomIp();
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: agent.email, password: 'old password 123' },
      remoteAddress: ip,
    });
    const current = {
      cookie: `baton_session=${login.cookies.find((c) => c.name === 'baton_session')!.value}`,
      'x-csrf-token': login.json<SessionView>().csrf_token ?? '',
    };

    const wrong = await app.inject({
      method: 'PUT',
      url: '/api/v1/me/password',
      headers: current,
      payload: { current_password: 'not it at all', new_password: 'new password 456' },
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json<ErrorResponse>().error.code).toBe('agent.wrong_password');
    const short = await app.inject({
      method: 'PUT',
      url: '/api/v1/me/password',
      headers: current,
      payload: { current_password: 'old password 123', new_password: 'short' },
    });
    expect(short.statusCode).toBe(400);

    const ok = await app.inject({
      method: 'PUT',
      url: '/api/v1/me/password',
      headers: current,
      payload: { current_password: 'old password 123', new_password: 'new password 456' },
    });
    expect(ok.statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: current })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: agent.headers })).statusCode).toBe(401);
    const relogin = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: agent.email, password: 'new password 456' },
      remoteAddress: ip,
    });
    expect(relogin.statusCode).toBe(200);
    const audit = await db.selectFrom('audit_log').select('action').where('target_id', '=', agent.id).execute();
    expect(audit.map((a) => a.action)).toContain('agent.password_changed');
  });

  it('throttles guesses of the current password', async () => {
    const app = await getTestApp();
    const agent = await createAgent(await createWorkspace());
    const attempt = () =>
      app.inject({
        method: 'PUT',
        url: '/api/v1/me/password',
        headers: agent.headers,
        payload: { current_password: 'guessing', new_password: 'new password 456' },
      });
    for (let i = 0; i < 5; i++) expect((await attempt()).statusCode).toBe(422);
    const blocked = await attempt();
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['retry-after']).toBeDefined();
  });
});
