import { beforeAll, describe, expect, it } from 'vitest';
import { createAgent, createTeam, createWorkspace, type TestAgent, type TestWorkspace } from '../../test/factories.js';
import { getTestApp, getTestContext } from '../../test/harness.js';
import { seedCase, seedCustomer } from '../search/test-support.js';

interface View {
  id: string;
  kind: 'builtin' | 'saved';
  name: string;
  filters: Record<string, string>;
  sort: string;
  count: number;
  shared?: boolean;
  owner_agent_id?: string | null;
}
interface Page {
  data: { number: number }[];
  next_cursor: string | null;
}

async function call(
  agent: TestAgent,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
) {
  const app = await getTestApp();
  return app.inject({
    method,
    url: `/api/v1${url}`,
    headers: { ...agent.headers, ...headers },
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });
}

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

describe('inbox views', () => {
  let ws: TestWorkspace;
  let me: TestAgent;
  let colleague: TestAgent;
  let supervisor: TestAgent;
  let teamA: { id: string; name: string; queues: { id: string; name: string }[] };
  let teamB: { id: string; name: string };
  let outsider: TestAgent;
  let foreignTeam: { id: string };

  beforeAll(async () => {
    ws = await createWorkspace();
    me = await createAgent(ws);
    colleague = await createAgent(ws);
    supervisor = await createAgent(ws, { role: 'supervisor' });
    teamA = await createTeam(ws, { name: 'Billing team', memberIds: [me.id], queues: [{ name: 'Invoices' }, { name: 'Refunds' }] });
    teamB = await createTeam(ws, { name: 'Tech team', memberIds: [colleague.id] });
    const customer = await seedCustomer(ws.id, { name: 'View Customer', emails: ['view@example.test'] });
    const invoices = teamA.queues.find((q) => q.name === 'Invoices')!.id;
    // number: status, assignee, team, queue
    await seedCase(ws.id, customer.id, {
      number: 1,
      status: 'open',
      assigneeId: me.id,
      teamId: teamA.id,
      queueId: invoices,
      priority: 'urgent',
    });
    await seedCase(ws.id, customer.id, { number: 2, status: 'pending', assigneeId: me.id, teamId: teamA.id });
    await seedCase(ws.id, customer.id, { number: 3, status: 'on_hold', assigneeId: me.id });
    await seedCase(ws.id, customer.id, { number: 4, status: 'new', teamId: teamA.id, queueId: invoices });
    await seedCase(ws.id, customer.id, { number: 5, status: 'open', teamId: teamB.id });
    await seedCase(ws.id, customer.id, { number: 6, status: 'pending' }); // unassigned but waiting: not "unassigned"
    await seedCase(ws.id, customer.id, { number: 7, status: 'open', assigneeId: colleague.id, teamId: teamB.id });
    await seedCase(ws.id, customer.id, {
      number: 8,
      status: 'solved',
      assigneeId: me.id,
      teamId: teamA.id,
      updatedAt: daysAgo(1),
      solvedAt: daysAgo(1),
    });
    await seedCase(ws.id, customer.id, { number: 9, status: 'closed', teamId: teamA.id, updatedAt: daysAgo(2), solvedAt: daysAgo(3) });
    await seedCase(ws.id, customer.id, { number: 10, status: 'solved', updatedAt: daysAgo(30), solvedAt: daysAgo(30) });

    const otherWs = await createWorkspace();
    outsider = await createAgent(otherWs, { role: 'admin' });
    foreignTeam = await createTeam(otherWs, { memberIds: [outsider.id] });
    const foreignCustomer = await seedCustomer(otherWs.id, { name: 'Foreign' });
    await seedCase(otherWs.id, foreignCustomer.id, { number: 1, status: 'open', teamId: foreignTeam.id });
  });

  it('lists the built-in views with their counts, teams and queues of the agent', async () => {
    const res = await call(me, 'GET', '/views');
    expect(res.statusCode, res.body).toBe(200);
    const views = res.json<{ data: View[] }>().data;
    const counts = Object.fromEntries(views.map((v) => [v.id, v.count]));
    const invoices = teamA.queues.find((q) => q.name === 'Invoices')!;
    const refunds = teamA.queues.find((q) => q.name === 'Refunds')!;
    expect(counts).toEqual({
      my_open: 3,
      unassigned: 2,
      all_open: 7,
      [`team:${teamA.id}`]: 3,
      [`queue:${invoices.id}`]: 2,
      [`queue:${refunds.id}`]: 0,
      recently_solved: 2,
    });
    expect(views.every((v) => v.kind === 'builtin')).toBe(true);
    expect(views.find((v) => v.id === `queue:${invoices.id}`)!.name).toBe('Billing team / Invoices');
    expect(views.find((v) => v.id === 'my_open')!.filters).toEqual({ assignee_id: 'me', status: 'new,open,pending,on_hold' });
  });

  it("counts 'me' for whoever asks, and shows supervisors every team", async () => {
    const views = (await call(colleague, 'GET', '/views')).json<{ data: View[] }>().data;
    const counts = Object.fromEntries(views.map((v) => [v.id, v.count]));
    expect(counts.my_open).toBe(1);
    expect(counts[`team:${teamB.id}`]).toBe(2);
    expect(counts[`team:${teamA.id}`]).toBeUndefined();
    const supervised = (await call(supervisor, 'GET', '/views')).json<{ data: View[] }>().data.map((v) => v.id);
    expect(supervised).toEqual(expect.arrayContaining([`team:${teamA.id}`, `team:${teamB.id}`]));
  });

  it('lists the cases of a built-in view with the listing pagination', async () => {
    const numbers = async (id: string, query = '') => {
      const res = await call(me, 'GET', `/views/${id}/cases${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res
        .json<Page>()
        .data.map((r) => r.number)
        .sort((a, b) => a - b);
    };
    expect(await numbers('my_open')).toEqual([1, 2, 3]);
    expect(await numbers('unassigned')).toEqual([4, 5]);
    expect(await numbers('all_open')).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(await numbers('recently_solved')).toEqual([8, 9]);
    expect(await numbers(`team:${teamA.id}`)).toEqual([1, 2, 4]);
    // Any team of the workspace opens, even one the agent is not a member of.
    expect(await numbers(`team:${teamB.id}`)).toEqual([5, 7]);
    expect(await numbers(`queue:${teamA.queues[0]!.id}`)).not.toBeNull();

    const first = (await call(me, 'GET', '/views/all_open/cases?sort=number_desc&limit=4')).json<Page>();
    expect(first.data.map((r) => r.number)).toEqual([7, 6, 5, 4]);
    const second = (await call(me, 'GET', `/views/all_open/cases?sort=number_desc&limit=4&cursor=${first.next_cursor}`)).json<Page>();
    expect(second.data.map((r) => r.number)).toEqual([3, 2, 1]);
    expect(second.next_cursor).toBeNull();

    expect((await call(me, 'GET', '/views/all_open/cases?cursor=garbage!')).json<{ error: { code: string } }>().error.code).toBe(
      'pagination.invalid_cursor',
    );
    expect((await call(me, 'GET', '/views/all_open/cases?status=open')).statusCode).toBe(400);
  });

  it('answers 404 for unknown views and for teams or queues of another workspace', async () => {
    for (const id of [
      'bogus',
      `team:${foreignTeam.id}`,
      'queue:00000000-0000-4000-8000-000000000000',
      '00000000-0000-4000-8000-000000000000',
      'team:nope',
    ]) {
      const res = await call(me, 'GET', `/views/${encodeURIComponent(id)}/cases`);
      expect(res.statusCode, id).toBe(404);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('view.not_found');
    }
  });

  it('saves, lists, changes and deletes a personal view', async () => {
    const created = await call(me, 'POST', '/views', {
      name: '  Urgent work ',
      filters: { status: 'open,pending,open', priority: 'urgent' },
      sort: 'priority_desc',
    });
    expect(created.statusCode, created.body).toBe(201);
    const view = created.json<View>();
    expect(view).toMatchObject({
      kind: 'saved',
      name: 'Urgent work',
      filters: { status: 'open,pending', priority: 'urgent' },
      sort: 'priority_desc',
      count: 1,
      shared: false,
      owner_agent_id: me.id,
    });

    const listed = (await call(me, 'GET', '/views')).json<{ data: View[] }>().data.find((v) => v.id === view.id);
    expect(listed).toMatchObject({ name: 'Urgent work', count: 1 });
    const cases = (await call(me, 'GET', `/views/${view.id}/cases`)).json<Page>();
    expect(cases.data.map((r) => r.number)).toEqual([1]);

    const changed = await call(me, 'PATCH', `/views/${view.id}`, { name: 'Mine', filters: { assignee_id: 'me' }, sort: 'number_desc' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json<View>()).toMatchObject({ name: 'Mine', filters: { assignee_id: 'me' }, sort: 'number_desc', count: 4 });
    expect((await call(me, 'GET', `/views/${view.id}/cases`)).json<Page>().data.map((r) => r.number)).toEqual([8, 3, 2, 1]);

    expect((await call(me, 'DELETE', `/views/${view.id}`)).statusCode).toBe(204);
    expect((await call(me, 'GET', `/views/${view.id}/cases`)).statusCode).toBe(404);
    expect((await call(me, 'DELETE', `/views/${view.id}`)).statusCode).toBe(404);
  });

  it('returns the first result again for a repeated Idempotency-Key', async () => {
    const body = { name: 'Idempotent', filters: { status: 'new' } };
    const a = await call(me, 'POST', '/views', body, { 'idempotency-key': 'view-key-1' });
    const b = await call(me, 'POST', '/views', body, { 'idempotency-key': 'view-key-1' });
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(b.json<View>().id).toBe(a.json<View>().id);
    const { db } = await getTestContext();
    const rows = await db
      .selectFrom('saved_views')
      .select('id')
      .where('workspace_id', '=', ws.id)
      .where('name', '=', 'Idempotent')
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('lets only supervisors and admins write shared views', async () => {
    const refused = await call(me, 'POST', '/views', { name: 'For everyone', filters: {}, shared: true });
    expect(refused.statusCode).toBe(403);

    const shared = await call(supervisor, 'POST', '/views', {
      name: 'Team urgent',
      filters: { priority: 'urgent', assignee_id: 'me' },
      shared: true,
    });
    expect(shared.statusCode, shared.body).toBe(201);
    const view = shared.json<View>();
    expect(view).toMatchObject({ shared: true, owner_agent_id: null, count: 0 });

    // Everyone sees it, and 'me' counts for each viewer.
    const seen = (await call(me, 'GET', '/views')).json<{ data: View[] }>().data.find((v) => v.id === view.id);
    expect(seen).toMatchObject({ name: 'Team urgent', shared: true, count: 1 });
    expect((await call(me, 'GET', `/views/${view.id}/cases`)).json<Page>().data.map((r) => r.number)).toEqual([1]);

    expect((await call(me, 'PATCH', `/views/${view.id}`, { name: 'Hijacked' })).statusCode).toBe(403);
    expect((await call(me, 'DELETE', `/views/${view.id}`)).statusCode).toBe(403);

    const mine = (await call(me, 'POST', '/views', { name: 'Private', filters: {} })).json<View>();
    expect((await call(me, 'PATCH', `/views/${mine.id}`, { shared: true })).statusCode).toBe(403);
    // A supervisor may not even see (let alone publish) an agent's personal view.
    expect((await call(supervisor, 'PATCH', `/views/${mine.id}`, { shared: true })).statusCode).toBe(404);

    const supervisorOwn = (await call(supervisor, 'POST', '/views', { name: 'Publish me', filters: { status: 'open' } })).json<View>();
    const published = await call(supervisor, 'PATCH', `/views/${supervisorOwn.id}`, { shared: true });
    expect(published.json<View>()).toMatchObject({ shared: true, owner_agent_id: null });
    const unpublished = await call(supervisor, 'PATCH', `/views/${supervisorOwn.id}`, { shared: false });
    expect(unpublished.json<View>()).toMatchObject({ shared: false, owner_agent_id: supervisor.id });

    expect((await call(supervisor, 'DELETE', `/views/${view.id}`)).statusCode).toBe(204);
  });

  it("hides another agent's personal views (404) and another workspace's views", async () => {
    const theirs = (await call(colleague, 'POST', '/views', { name: 'Colleague only', filters: { status: 'open' } })).json<View>();
    expect((await call(me, 'GET', '/views')).json<{ data: View[] }>().data.map((v) => v.id)).not.toContain(theirs.id);
    expect((await call(me, 'GET', `/views/${theirs.id}/cases`)).statusCode).toBe(404);
    expect((await call(me, 'PATCH', `/views/${theirs.id}`, { name: 'Mine now' })).statusCode).toBe(404);
    expect((await call(me, 'DELETE', `/views/${theirs.id}`)).statusCode).toBe(404);

    expect((await call(outsider, 'GET', `/views/${theirs.id}/cases`)).statusCode).toBe(404);
    expect((await call(outsider, 'DELETE', `/views/${theirs.id}`)).statusCode).toBe(404);
    const outsiderViews = (await call(outsider, 'GET', '/views')).json<{ data: View[] }>().data;
    expect(outsiderViews.find((v) => v.id === 'all_open')!.count).toBe(1);
    expect(outsiderViews.filter((v) => v.kind === 'saved')).toEqual([]);
    expect((await call(colleague, 'GET', `/views/${theirs.id}/cases`)).statusCode).toBe(200);
  });

  it('validates the view body like the /cases query', async () => {
    const bad: [unknown, string][] = [
      [{ name: 'x', filters: { status: 'bogus' } }, 'filters.status'],
      [{ name: 'x', filters: { colour: 'red' } }, 'filters.colour'],
      [{ name: 'x', filters: { team_id: 'nope' } }, 'filters.team_id'],
      [{ name: 'x', filters: { assignee_id: 'someone' } }, 'filters.assignee_id'],
      [{ name: 'x', filters: { created_after: '2025-01-01' } }, 'filters.created_after'],
      [{ name: 'x', filters: { status: ['open'] } }, 'filters.status'],
      [{ name: '', filters: {} }, 'name'],
      [{ name: '   ', filters: {} }, 'name'],
      [{ name: 'x'.repeat(101), filters: {} }, 'name'],
      [{ name: 'x' }, 'filters'],
      [{ name: 'x', filters: {}, sort: 'random' }, 'sort'],
      [{ name: 'x', filters: {}, owner: 'me' }, 'owner'],
    ];
    for (const [body, field] of bad) {
      const res = await call(me, 'POST', '/views', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      const fields = res.json<{ error: { details: { fields: { field: string }[] } } }>().error.details.fields.map((f) => f.field);
      expect(fields, JSON.stringify(body)).toContain(field);
    }
    const view = (await call(me, 'POST', '/views', { name: 'Valid', filters: {} })).json<View>();
    expect((await call(me, 'PATCH', `/views/${view.id}`, {})).statusCode).toBe(400);
    expect((await call(me, 'PATCH', `/views/${view.id}`, { filters: { priority: 'high,nope' } })).statusCode).toBe(400);
    const builtIn = await call(me, 'PATCH', '/views/my_open', { name: 'Renamed' });
    expect(builtIn.statusCode).toBe(422);
    expect(builtIn.json<{ error: { code: string } }>().error.code).toBe('view.built_in');
    expect((await call(me, 'DELETE', '/views/all_open')).statusCode).toBe(422);
  });

  it('reads stored filters written as JSON arrays', async () => {
    const { db } = await getTestContext();
    const row = await db
      .insertInto('saved_views')
      .values({ workspace_id: ws.id, owner_agent_id: me.id, name: 'Imported', filters: JSON.stringify({ status: ['open', 'pending'] }) })
      .returning('id')
      .executeTakeFirstOrThrow();
    const views = (await call(me, 'GET', '/views')).json<{ data: View[] }>().data;
    expect(views.find((v) => v.id === row.id)!.count).toBe(5); // cases 1, 2, 5, 6, 7
  });
});
