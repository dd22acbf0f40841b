import { beforeAll, describe, expect, it } from 'vitest';
import { createAgent, createTeam, createWorkspace, unique } from '../../test/factories.js';
import { getTestApp, getTestContext } from '../../test/harness.js';
import { getTeam, listTeamAgentsForAssignment, resolveQueueForCategory } from './service.js';
import type { QueueView, TeamView } from './views.js';

type PageOf<T> = { data: T[]; next_cursor: string | null };

type ErrorResponse = { error: { code: string; message: string; details?: Record<string, unknown> } };

// Starting the server (and loading the database) is slow on a busy machine: not part of any test's time.
beforeAll(async () => {
  await getTestApp();
});

async function adminWorkspace() {
  const workspace = await createWorkspace();
  return { workspace, admin: await createAgent(workspace, { role: 'admin' }) };
}

describe('teams', () => {
  it('creates a team with members, lists teams with members and queues', async () => {
    const { db } = await getTestContext();
    const app = await getTestApp();
    const { workspace, admin } = await adminWorkspace();
    const ana = await createAgent(workspace, { name: 'Ana' });
    const ben = await createAgent(workspace, { name: 'Ben' });
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/teams',
      headers: admin.headers,
      payload: { name: 'Billing', description: 'Invoices and refunds', auto_assign: true, member_ids: [ben.id, ana.id, ana.id] },
    });
    expect(res.statusCode).toBe(201);
    const team = res.json<TeamView>();
    expect(team).toMatchObject({ name: 'Billing', description: 'Invoices and refunds', auto_assign: true, queues: [] });
    expect(team.members.map((m: { name: string }) => m.name)).toEqual(['Ana', 'Ben']);
    const queue = await app.inject({
      method: 'POST',
      url: `/api/v1/teams/${team.id}/queues`,
      headers: admin.headers,
      payload: { name: 'Refunds', categories: ['refund', 'billing'] },
    });
    expect(queue.statusCode).toBe(201);
    expect(queue.json()).toMatchObject({ team_id: team.id, name: 'Refunds', categories: ['refund', 'billing'] });
    await createTeam(workspace, { name: 'Tech', memberIds: [ana.id], queues: [{ name: 'Bugs', categories: ['technical'] }] });
    await createTeam(await createWorkspace(), { name: 'Foreign' });

    const agent = await createAgent(workspace);
    const list = await app.inject({ method: 'GET', url: '/api/v1/teams', headers: agent.headers });
    expect(list.statusCode).toBe(200);
    const teams = list.json<PageOf<TeamView>>().data;
    expect(teams.map((t) => t.name)).toEqual(['Billing', 'Tech']);
    expect(teams[0]!.members.map((m) => m.id)).toEqual([ana.id, ben.id]);
    expect(teams[0]!.queues.map((q) => q.name)).toEqual(['Refunds']);
    expect(teams[1]!.members.map((m) => m.id)).toEqual([ana.id]);
    expect(teams[1]!.queues.map((q) => q.name)).toEqual(['Bugs']);

    const one = await app.inject({ method: 'GET', url: `/api/v1/teams/${team.id}`, headers: agent.headers });
    expect(one.json<TeamView>().queues).toHaveLength(1);
    expect(await getTeam(db, agent.actor, team.id)).toEqual(one.json());
    const audit = await db.selectFrom('audit_log').select('action').where('workspace_id', '=', workspace.id).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['team.created', 'queue.created']);
  });

  it('pages the team list', async () => {
    const app = await getTestApp();
    const { workspace, admin } = await adminWorkspace();
    for (const name of ['A team', 'B team', 'C team']) await createTeam(workspace, { name });
    const first = await app.inject({ method: 'GET', url: '/api/v1/teams?limit=2', headers: admin.headers });
    expect(first.json<PageOf<TeamView>>().data.map((t: { name: string }) => t.name)).toEqual(['A team', 'B team']);
    const second = await app.inject({
      method: 'GET',
      url: `/api/v1/teams?limit=2&cursor=${first.json<PageOf<TeamView>>().next_cursor}`,
      headers: admin.headers,
    });
    expect(second.json<PageOf<TeamView>>().data.map((t: { name: string }) => t.name)).toEqual(['C team']);
    expect(second.json<PageOf<TeamView>>().next_cursor).toBeNull();
  });

  it('refuses duplicate names (any case), unknown fields and over-long values', async () => {
    const app = await getTestApp();
    const { workspace, admin } = await adminWorkspace();
    await createTeam(workspace, { name: 'Support' });
    const post = (payload: object) => app.inject({ method: 'POST', url: '/api/v1/teams', headers: admin.headers, payload });
    const dup = await post({ name: 'SUPPORT' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json<ErrorResponse>().error.code).toBe('team.name_taken');
    expect((await post({ name: 'x'.repeat(101) })).statusCode).toBe(400);
    expect((await post({ name: 'Ok', description: 'x'.repeat(2001) })).statusCode).toBe(400);
    expect((await post({ name: 'Ok', colour: 'red' })).statusCode).toBe(400);
    expect((await post({ name: 'Ok', member_ids: ['nope'] })).statusCode).toBe(400);
  });

  it('updates, replaces members and deletes; admins only', async () => {
    const { db } = await getTestContext();
    const app = await getTestApp();
    const { workspace, admin } = await adminWorkspace();
    const a = await createAgent(workspace);
    const b = await createAgent(workspace);
    const foreign = await createAgent(await createWorkspace());
    const team = await createTeam(workspace, { memberIds: [a.id] });

    const denied = await app.inject({
      method: 'PATCH',
      url: `/api/v1/teams/${team.id}`,
      headers: a.headers,
      payload: { auto_assign: true },
    });
    expect(denied.statusCode).toBe(403);
    const deniedMembers = await app.inject({
      method: 'PUT',
      url: `/api/v1/teams/${team.id}/members`,
      headers: a.headers,
      payload: { agent_ids: [] },
    });
    expect(deniedMembers.statusCode).toBe(403);

    const patched = await app.inject({
      method: 'PATCH',
      url: `/api/v1/teams/${team.id}`,
      headers: admin.headers,
      payload: { name: 'Renamed', auto_assign: true },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ name: 'Renamed', auto_assign: true });

    const replaced = await app.inject({
      method: 'PUT',
      url: `/api/v1/teams/${team.id}/members`,
      headers: admin.headers,
      payload: { agent_ids: [b.id] },
    });
    expect(replaced.json<TeamView>().members.map((m: { id: string }) => m.id)).toEqual([b.id]);
    const withForeign = await app.inject({
      method: 'PUT',
      url: `/api/v1/teams/${team.id}/members`,
      headers: admin.headers,
      payload: { agent_ids: [a.id, foreign.id] },
    });
    expect(withForeign.statusCode).toBe(422);
    expect(withForeign.json<ErrorResponse>().error).toMatchObject({ code: 'team.unknown_agents', details: { agent_ids: [foreign.id] } });
    const members = await db.selectFrom('team_members').select('agent_id').where('team_id', '=', team.id).execute();
    expect(members.map((m) => m.agent_id)).toEqual([b.id]);

    const del = await app.inject({ method: 'DELETE', url: `/api/v1/teams/${team.id}`, headers: admin.headers });
    expect(del.statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: `/api/v1/teams/${team.id}`, headers: admin.headers })).statusCode).toBe(404);
    const audit = await db.selectFrom('audit_log').select('action').where('target_id', '=', team.id).orderBy('id').execute();
    expect(audit.map((x) => x.action)).toEqual(['team.updated', 'team.members_changed', 'team.deleted']);
  });

  it("answers 404 for another workspace's team on every route", async () => {
    const app = await getTestApp();
    const { admin } = await adminWorkspace();
    const foreign = await createTeam(await createWorkspace(), { queues: [{ name: 'Q', categories: [] }] });
    const queueId = foreign.queues[0]!.id;
    const calls = [
      { method: 'GET', url: `/api/v1/teams/${foreign.id}` },
      { method: 'PATCH', url: `/api/v1/teams/${foreign.id}`, payload: { name: 'Mine' } },
      { method: 'DELETE', url: `/api/v1/teams/${foreign.id}` },
      { method: 'PUT', url: `/api/v1/teams/${foreign.id}/members`, payload: { agent_ids: [] } },
      { method: 'POST', url: `/api/v1/teams/${foreign.id}/queues`, payload: { name: 'Mine' } },
      { method: 'PATCH', url: `/api/v1/queues/${queueId}`, payload: { name: 'Mine' } },
      { method: 'DELETE', url: `/api/v1/queues/${queueId}` },
    ] as const;
    for (const call of calls) {
      const res = await app.inject({ ...call, headers: admin.headers });
      expect(res.statusCode, `${call.method} ${call.url}`).toBe(404);
      expect(res.json<ErrorResponse>().error.code).toMatch(/^(team|queue)\.not_found$/);
    }
    const queues = await app.inject({ method: 'GET', url: `/api/v1/queues?team_id=${foreign.id}`, headers: admin.headers });
    expect(queues.json<PageOf<QueueView>>().data).toEqual([]);
  });
});

describe('queues', () => {
  it('gives each category to at most one queue, and routes categories to it', async () => {
    const { db } = await getTestContext();
    const app = await getTestApp();
    const { workspace, admin } = await adminWorkspace();
    const team = await createTeam(workspace);
    const post = (payload: object) =>
      app.inject({ method: 'POST', url: `/api/v1/teams/${team.id}/queues`, headers: admin.headers, payload });
    const billing = await post({ name: 'Billing', categories: ['billing', 'payment'] });
    expect(billing.statusCode).toBe(201);
    const clash = await post({ name: 'Other', categories: ['dispute', 'payment'] });
    expect(clash.statusCode).toBe(409);
    expect(clash.json<ErrorResponse>().error).toMatchObject({ code: 'queue.category_taken', details: { categories: ['payment'] } });
    const dupName = await post({ name: 'BILLING' });
    expect(dupName.statusCode).toBe(409);
    expect(dupName.json<ErrorResponse>().error.code).toBe('queue.name_taken');
    expect((await post({ name: 'Bad', categories: ['shipping'] })).statusCode).toBe(400);
    expect((await post({ name: 'Bad', categories: ['refund', 'refund'] })).statusCode).toBe(400);
    expect((await post({ name: 'x'.repeat(101) })).statusCode).toBe(400);

    const agent = await createAgent(workspace);
    expect(await resolveQueueForCategory(db, agent.actor, 'payment')).toEqual({
      teamId: team.id,
      queueId: billing.json<QueueView>().id,
      teamAutoAssigns: false,
    });
    expect(await resolveQueueForCategory(db, agent.actor, 'technical')).toBeNull();
    const autoAssigning = await app.inject({
      method: 'PATCH',
      url: `/api/v1/teams/${team.id}`,
      headers: admin.headers,
      payload: { auto_assign: true },
    });
    expect(autoAssigning.statusCode).toBe(200);
    expect(await resolveQueueForCategory(db, workspace.system, 'billing')).toEqual({
      teamId: team.id,
      queueId: billing.json<QueueView>().id,
      teamAutoAssigns: true,
    });
    // Another workspace's queues never route here.
    const otherWorkspace = await createWorkspace();
    expect(await resolveQueueForCategory(db, otherWorkspace.system, 'billing')).toBeNull();

    // Moving a category: patching the owning queue frees it.
    const patched = await app.inject({
      method: 'PATCH',
      url: `/api/v1/queues/${billing.json<QueueView>().id}`,
      headers: admin.headers,
      payload: { categories: ['billing'] },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json<QueueView>().categories).toEqual(['billing']);
    const other = await post({ name: 'Payments', categories: ['payment'] });
    expect(other.statusCode).toBe(201);
    expect(await resolveQueueForCategory(db, agent.actor, 'payment')).toEqual({
      teamId: team.id,
      queueId: other.json<QueueView>().id,
      teamAutoAssigns: true,
    });

    const list = await app.inject({ method: 'GET', url: '/api/v1/queues', headers: agent.headers });
    expect(list.json<PageOf<QueueView>>().data.map((q: { name: string }) => q.name)).toEqual(['Billing', 'Payments']);
    expect(
      (await app.inject({ method: 'POST', url: `/api/v1/teams/${team.id}/queues`, headers: agent.headers, payload: { name: 'Nope' } }))
        .statusCode,
    ).toBe(403);
    expect(
      (await app.inject({ method: 'DELETE', url: `/api/v1/queues/${other.json<QueueView>().id}`, headers: admin.headers })).statusCode,
    ).toBe(204);
    expect(await resolveQueueForCategory(db, agent.actor, 'payment')).toBeNull();
  });

  it('lists a team’s active members for assignment in id order', async () => {
    const { db } = await getTestContext();
    const workspace = await createWorkspace();
    const a = await createAgent(workspace, { presence: 'online', capacity: 2 });
    const b = await createAgent(workspace, { presence: 'away' });
    const gone = await createAgent(workspace, { status: 'deactivated' });
    const team = await createTeam(workspace, { memberIds: [a.id, b.id, gone.id], name: unique('T') });
    const members = await listTeamAgentsForAssignment(db, workspace.id, team.id);
    expect(members).toEqual(
      [
        { id: a.id, presence: 'online', capacity: 2 },
        { id: b.id, presence: 'away', capacity: 20 },
      ].sort((x, y) => (x.id < y.id ? -1 : 1)),
    );
    expect(await listTeamAgentsForAssignment(db, (await createWorkspace()).id, team.id)).toEqual([]);
  });
});
