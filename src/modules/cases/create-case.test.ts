import { beforeAll, describe, expect, it } from 'vitest';
import { createAgent, createTeam, createWorkspace } from '../../test/factories.js';
import { getTestApp, getTestContext } from '../../test/harness.js';
import { createCase, receiveCustomerContact } from './service.js';
import type { BulkResult } from './bulk-update.js';
import {
  anyText,
  caseWorld,
  domainEventTypes,
  eventTypes,
  getCaseView,
  historyCounts,
  messagesOf,
  newCustomer,
  postCase,
  type ErrorResponse,
} from './test-support.js';
import type { CaseView } from './views.js';

// Building the app and loading the database template is slow on a busy machine: not inside a test's time budget.
beforeAll(async () => {
  await getTestApp();
});

describe('opening cases', () => {
  it('creates a case with its first message, number and history', async () => {
    const { agent, customerId } = await caseWorld();
    const created = await postCase(agent, {
      customer_id: customerId,
      category: 'billing',
      priority: 'high',
      tags: [' VIP ', 'vip', 'Refund'],
    });
    expect(created).toMatchObject({
      number: 1001,
      subject: 'My invoice is wrong',
      status: 'new',
      priority: 'high',
      category: 'billing',
      channel: 'api',
      customer: { id: customerId, name: 'Casey Customer' },
      assignee: null,
      tags: ['vip', 'refund'],
      followers: [],
      merged_into_id: null,
      version: 1,
      solved_at: null,
      closed_at: null,
    });
    expect(created.customer.primary_email).toMatch(/@example\.test$/);
    const messages = await messagesOf(agent, created.id);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      visibility: 'public',
      author_type: 'customer',
      author: { id: customerId, name: 'Casey Customer' },
      channel: 'api',
      body_text: 'Please check invoice 42.',
    });
    expect(await eventTypes(created.id)).toEqual(['created', 'message_added']);
    expect(await domainEventTypes(created.id)).toEqual(['case.created', 'case.message_added']);
  });

  it('numbers cases per workspace from 1001, independently across workspaces', async () => {
    const a = await caseWorld();
    const b = await caseWorld();
    const numbersA = [];
    for (let i = 0; i < 3; i++) numbersA.push((await postCase(a.agent, { customer_id: a.customerId })).number);
    const numbersB = [(await postCase(b.agent, { customer_id: b.customerId })).number];
    numbersA.push((await postCase(a.agent, { customer_id: a.customerId })).number);
    expect(numbersA).toEqual([1001, 1002, 1003, 1004]);
    expect(numbersB).toEqual([1001]);
  });

  it('gives unique numbers to concurrent creates', async () => {
    const { ctx, workspace, customerId } = await caseWorld();
    const views = await Promise.all(
      Array.from({ length: 5 }, () =>
        createCase(ctx.db, workspace.system, { customerId, subject: 'Same time', channel: 'email', message: { bodyText: 'hello' } }),
      ),
    );
    expect(views.map((v) => v.number).sort()).toEqual([1001, 1002, 1003, 1004, 1005]);
  });

  it('finds or creates the customer by email', async () => {
    const { agent } = await caseWorld();
    const first = await postCase(agent, { customer: { email: 'New.Person@Example.test', name: 'New Person' } });
    const second = await postCase(agent, { customer: { email: 'new.person@example.test' } });
    expect(first.customer).toMatchObject({ name: 'New Person', primary_email: 'new.person@example.test' });
    expect(second.customer.id).toBe(first.customer.id);
    const app = await getTestApp();
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: agent.headers,
      payload: { customer: { email: 'not an address' }, subject: 's', message: { body: 'b' } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ErrorResponse>().error.code).toBe('customer.invalid_email');
  });

  it('is idempotent: the same key returns the same case and creates one row', async () => {
    const { app, db, agent, customerId, workspace } = await caseWorld();
    const payload = { customer_id: customerId, subject: 'Charged twice', message: { body: 'Twice!' } };
    const headers = { ...agent.headers, 'idempotency-key': 'create-1' };
    const first = await app.inject({ method: 'POST', url: '/api/v1/cases', headers, payload });
    const second = await app.inject({ method: 'POST', url: '/api/v1/cases', headers, payload });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    const rows = await db.selectFrom('cases').select('id').where('workspace_id', '=', workspace.id).execute();
    expect(rows).toHaveLength(1);
    const reused = await app.inject({ method: 'POST', url: '/api/v1/cases', headers, payload: { ...payload, subject: 'Other' } });
    expect(reused.statusCode).toBe(422);
    expect(reused.json<ErrorResponse>().error.code).toBe('idempotency.key_reused');
  });

  it('records an agent-written first message as the first reply and opens the case', async () => {
    const { agent, customerId } = await caseWorld();
    const created = await postCase(agent, {
      customer_id: customerId,
      channel: 'phone',
      message: { body: 'Called the customer back', author_type: 'agent' },
    });
    expect(created.status).toBe('open');
    const [message] = await messagesOf(agent, created.id);
    expect(message).toMatchObject({ author_type: 'agent', author: { id: agent.id }, channel: 'phone' });
    const note = await postCase(agent, { customer_id: customerId, message: { body: 'Internal context', visibility: 'internal' } });
    expect(note.status).toBe('new');
    expect((await messagesOf(agent, note.id))[0]).toMatchObject({ author_type: 'agent', visibility: 'internal', channel: 'internal' });
  });

  it('routes by category to the queue and auto-assigns within the team', async () => {
    const { agent, workspace, customerId } = await caseWorld();
    const member = await createAgent(workspace, { presence: 'online' });
    const team = await createTeam(workspace, {
      autoAssign: true,
      memberIds: [member.id],
      queues: [{ name: 'Refunds', categories: ['refund'] }],
    });
    const routed = await postCase(agent, { customer_id: customerId, category: 'refund' });
    expect(routed).toMatchObject({ team_id: team.id, queue_id: team.queues[0]!.id, assignee: { id: member.id } });
    expect(await eventTypes(routed.id)).toEqual(['created', 'message_added', 'assigned']);
    const unrouted = await postCase(agent, { customer_id: customerId, category: 'technical' });
    expect(unrouted).toMatchObject({ team_id: null, queue_id: null, assignee: null });
    const explicitNone = await postCase(agent, { customer_id: customerId, category: 'refund', assignee_id: null });
    expect(explicitNone.assignee).toBeNull();
  });

  it('accepts an explicit team, queue and assignee, and derives the team from a queue', async () => {
    const { agent, workspace, customerId } = await caseWorld();
    const team = await createTeam(workspace, { queues: [{ name: 'Tier 2' }] });
    const viaQueue = await postCase(agent, { customer_id: customerId, queue_id: team.queues[0]!.id, assignee_id: agent.id });
    expect(viaQueue).toMatchObject({ team_id: team.id, queue_id: team.queues[0]!.id, assignee: { id: agent.id } });
  });

  it('refuses a bad reference with 422 and writes nothing (no case, no history, no number used)', async () => {
    const { app, db, agent, workspace, customerId } = await caseWorld();
    const other = await createWorkspace();
    const foreignAgent = await createAgent(other);
    const foreignTeam = await createTeam(other, { queues: [{ name: 'Q' }] });
    const myTeam = await createTeam(workspace, {});
    const cases = [
      [{ assignee_id: foreignAgent.id }, 'case.unknown_assignee'],
      [{ team_id: foreignTeam.id }, 'case.unknown_team'],
      [{ queue_id: foreignTeam.queues[0]!.id }, 'case.unknown_queue'],
      [
        { team_id: myTeam.id, queue_id: (await createTeam(workspace, { queues: [{ name: 'Other' }] })).queues[0]!.id },
        'case.queue_not_in_team',
      ],
      [{ customer_id: await newCustomer(other) }, 'case.unknown_customer'],
    ] as const;
    const before = await db
      .selectFrom('domain_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('workspace_id', '=', workspace.id)
      .executeTakeFirstOrThrow();
    for (const [extra, code] of cases) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/cases',
        headers: agent.headers,
        payload: { customer_id: customerId, subject: 'x', message: { body: 'y' }, ...extra },
      });
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json<ErrorResponse>().error.code).toBe(code);
    }
    expect(await db.selectFrom('cases').select('id').where('workspace_id', '=', workspace.id).execute()).toEqual([]);
    expect(await db.selectFrom('case_events').select('id').where('workspace_id', '=', workspace.id).execute()).toEqual([]);
    const after = await db
      .selectFrom('domain_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('workspace_id', '=', workspace.id)
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect((await postCase(agent, { customer_id: customerId })).number).toBe(1001);
  });

  it('refuses malformed requests with 400', async () => {
    const { app, agent, customerId } = await caseWorld();
    const base = { customer_id: customerId, subject: 'Subject', message: { body: 'Body' } };
    const bad: [Record<string, unknown>, string][] = [
      [{ ...base, surprise: 1 }, 'surprise'],
      [{ ...base, message: { body: 'b', extra: true } }, 'message.extra'],
      [{ ...base, subject: 'x'.repeat(301) }, 'subject'],
      [{ ...base, subject: '' }, 'subject'],
      [{ ...base, subject: 42 }, 'subject'],
      [{ ...base, priority: 'whenever' }, 'priority'],
      [{ ...base, status: 'open' }, 'status'],
      [{ ...base, customer_id: 'not-a-uuid' }, 'customer_id'],
      [{ ...base, tags: 'vip' }, 'tags'],
      [{ ...base, message: { body: 'x'.repeat(100_001) } }, 'message.body'],
      [{ ...base, message: {} }, 'message.body'],
      [{ customer_id: customerId, subject: 'no message' }, 'message'],
    ];
    for (const [payload, field] of bad) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/cases', headers: agent.headers, payload });
      expect(res.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expect(res.json<ErrorResponse>().error.code).toBe('validation_failed');
      expect(res.json<ErrorResponse>().error.details!.fields!.map((f) => f.field)).toContain(field);
    }
    for (const payload of [
      { subject: 's', message: { body: 'b' } },
      { ...base, customer: { email: 'a@b.test' } },
    ]) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/cases', headers: agent.headers, payload });
      expect(res.statusCode).toBe(400);
      expect(res.json<ErrorResponse>().error.code).toBe('case.customer_required');
    }
    const blank = await app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: agent.headers,
      payload: { ...base, message: { body: '\u0000 \n' } },
    });
    expect(blank.statusCode).toBe(400);
    expect(blank.json<ErrorResponse>().error.code).toBe('case.message_empty');
    const blankSubject = await app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: agent.headers,
      payload: { ...base, subject: '   ' },
    });
    expect(blankSubject.json<ErrorResponse>().error.code).toBe('case.subject_empty');
    const longTag = await app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: agent.headers,
      payload: { ...base, tags: ['x'.repeat(60)] },
    });
    expect(longTag.statusCode).toBe(400);
    expect(longTag.json<ErrorResponse>().error.code).toBe('case.tag_invalid');
  });

  it('requires authentication', async () => {
    const app = await getTestApp();
    const res = await app.inject({ method: 'POST', url: '/api/v1/cases', payload: {} });
    expect(res.statusCode).toBe(401);
  });
});

describe('reading a case', () => {
  it('finds a case by id, number or #number, and hides other workspaces', async () => {
    const { app, agent, customerId } = await caseWorld();
    const created = await postCase(agent, { customer_id: customerId });
    expect((await getCaseView(agent, created.id)).id).toBe(created.id);
    expect((await getCaseView(agent, '1001')).id).toBe(created.id);
    expect((await getCaseView(agent, '#1001')).id).toBe(created.id);

    const outsider = await createAgent(await createWorkspace(), { role: 'admin' });
    for (const ref of [created.id, '1001', 'nonsense', '00000000-0000-0000-0000-000000000000']) {
      const res = await app.inject({ method: 'GET', url: `/api/v1/cases/${encodeURIComponent(ref)}`, headers: outsider.headers });
      expect(res.statusCode).toBe(404);
      expect(res.json<ErrorResponse>().error.code).toBe('case.not_found');
    }
    for (const [method, url, payload] of [
      ['PATCH', `/api/v1/cases/${created.id}`, { version: 1, priority: 'low' }],
      ['GET', `/api/v1/cases/${created.id}/messages`, undefined],
      ['POST', `/api/v1/cases/${created.id}/messages`, { body: 'hi', visibility: 'public' }],
      ['GET', `/api/v1/cases/${created.id}/events`, undefined],
      ['POST', `/api/v1/cases/${created.id}/followers`, {}],
      ['POST', `/api/v1/cases/${created.id}/split`, { message_ids: [created.id], subject: 's' }],
      ['POST', `/api/v1/cases/${created.id}/merge`, { source_case_id: created.id }],
      ['GET', `/api/v1/customers/${customerId}/timeline`, undefined],
    ] as const) {
      const res = await app.inject({ method, url, headers: outsider.tokenHeaders, ...(payload ? { payload } : {}) });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    const bulk = await app.inject({
      method: 'POST',
      url: '/api/v1/cases/bulk',
      headers: outsider.headers,
      payload: { case_ids: [created.id], changes: { priority: 'low' } },
    });
    expect(bulk.json<{ results: BulkResult[] }>().results).toEqual([
      { id: created.id, ok: false, error: { code: 'case.not_found', message: anyText } },
    ]);
    expect((await getCaseView(agent, created.id)).priority).toBe('normal');
  });
});

describe('customer contacts and continuity', () => {
  async function contact(
    world: Awaited<ReturnType<typeof caseWorld>>,
    category: 'billing' | 'technical' = 'billing',
    customerId = world.customerId,
  ) {
    return receiveCustomerContact(world.db, world.workspace.system, {
      customerId,
      subject: 'About my bill',
      category,
      channel: 'email',
      bodyText: 'Hello again',
    });
  }

  it('joins the open case of the same category instead of opening another', async () => {
    const world = await caseWorld();
    const first = await contact(world);
    expect(first).toMatchObject({ number: 1001, joined: false });
    const second = await contact(world);
    expect(second).toEqual({ caseId: first.caseId, number: 1001, joined: true, messageId: expect.any(String) as string });
    expect(await eventTypes(first.caseId)).toEqual(['created', 'message_added', 'message_added', 'contact_joined']);
    expect(await domainEventTypes(first.caseId)).toContain('case.contact_joined');
    const messages = await messagesOf(world.agent, first.caseId);
    expect(messages.map((m) => [m.author_type, m.channel])).toEqual([
      ['customer', 'email'],
      ['customer', 'email'],
    ]);
    expect(messages[1]!.metadata).toMatchObject({ subject: 'About my bill' });
    const other = await contact(world, 'technical');
    expect(other).toMatchObject({ number: 1002, joined: false });
    const otherCustomer = await contact(world, 'billing', await newCustomer(world.workspace));
    expect(otherCustomer).toMatchObject({ number: 1003, joined: false });
  });

  it('reopens a pending case it joins, and never joins solved or closed cases', async () => {
    const world = await caseWorld();
    const { db, workspace, agent } = world;
    const first = await contact(world);
    await db.updateTable('cases').set({ status: 'pending' }).where('id', '=', first.caseId).execute();
    expect(await contact(world)).toMatchObject({ caseId: first.caseId, joined: true });
    expect((await getCaseView(agent, first.caseId)).status).toBe('open');
    expect(await eventTypes(first.caseId)).toEqual(['created', 'message_added', 'message_added', 'status_changed', 'contact_joined']);

    for (const status of ['solved', 'closed'] as const) {
      await db.updateTable('cases').set({ status }).where('workspace_id', '=', workspace.id).execute();
      const next = await contact(world);
      expect(next.joined, status).toBe(false);
    }
  });

  it('opens a new case when continuity is off or the case is older than the window', async () => {
    const world = await caseWorld();
    const { db, workspace } = world;
    const first = await contact(world);
    await db
      .updateTable('workspaces')
      .set({ settings: JSON.stringify({ continuity: { enabled: false, windowDays: 30 } }) })
      .where('id', '=', workspace.id)
      .execute();
    expect(await contact(world)).toMatchObject({ joined: false, number: 1002 });

    await db
      .updateTable('workspaces')
      .set({ settings: JSON.stringify({ continuity: { enabled: true, windowDays: 7 } }) })
      .where('id', '=', workspace.id)
      .execute();
    await db
      .updateTable('cases')
      .set({ updated_at: new Date(Date.now() - 8 * 86_400_000) })
      .where('workspace_id', '=', workspace.id)
      .execute();
    expect(await contact(world)).toMatchObject({ joined: false, number: 1003 });
    // Within the window the most recently updated one is joined.
    expect(await contact(world)).toMatchObject({ joined: true, number: 1003 });
    expect(first.number).toBe(1001);
  });

  it('lets a customer actor open a case only for themselves', async () => {
    const world = await caseWorld();
    const customerActor = { kind: 'customer' as const, workspaceId: world.workspace.id, customerId: world.customerId };
    const own = await receiveCustomerContact(world.db, customerActor, {
      customerId: world.customerId,
      subject: 'Web form',
      category: 'general',
      channel: 'web',
      bodyText: 'Hi',
    });
    expect(own.joined).toBe(false);
    await expect(
      receiveCustomerContact(world.db, customerActor, {
        customerId: await newCustomer(world.workspace),
        subject: 'x',
        category: 'general',
        channel: 'web',
        bodyText: 'Hi',
      }),
    ).rejects.toMatchObject({ code: 'customer.not_found' });
    const view: CaseView = await getCaseView(world.agent, own.caseId);
    expect(view.channel).toBe('web');
    expect(await historyCounts([own.caseId])).toEqual({ caseEvents: 2, domainEvents: 2 });
  });
});

describe('an embedded transaction', () => {
  it('uses only the transaction handle (no deadlock on the single PGlite connection)', async () => {
    const { ctx, workspace, customerId } = await caseWorld();
    const view = await ctx.db
      .transaction()
      .execute((tx) => createCase(tx, workspace.system, { customerId, subject: 'In tx', channel: 'email', message: { bodyText: 'x' } }));
    expect(view.number).toBe(1001);
    expect((await getTestContext()).db).toBe(ctx.db);
  });
});
