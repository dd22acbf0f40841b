import { beforeAll, describe, expect, it } from 'vitest';
import { createAgent, createTeam, createWorkspace, type TestAgent, type TestWorkspace } from '../../test/factories.js';
import { getTestApp, getTestContext } from '../../test/harness.js';
import { createCase, type CaseView } from '../cases/service.js';
import { eventTypes, newCustomer, type ErrorResponse } from '../cases/test-support.js';
import type { MacroView } from './views.js';

interface Preview {
  macro: MacroView;
  body: string;
  visibility: 'public' | 'internal';
  changes: { field: string; from: unknown; to: unknown }[];
}
type Applied = Preview & { case: CaseView };

async function call(
  agent: TestAgent,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  payload?: object,
  headers: Record<string, string> = {},
) {
  const app = await getTestApp();
  return app.inject({ method, url: `/api/v1${url}`, headers: { ...agent.headers, ...headers }, ...(payload ? { payload } : {}) });
}

function expectStatus(res: { statusCode: number; body: string }, status: number) {
  expect(res.statusCode, res.body).toBe(status);
}

async function postMacro(agent: TestAgent, payload: Record<string, unknown>): Promise<MacroView> {
  const res = await call(agent, 'POST', '/macros', payload);
  expectStatus(res, 201);
  return res.json<MacroView>();
}

describe('macros API', () => {
  let ws: TestWorkspace;
  let agent: TestAgent;
  let colleague: TestAgent;
  let supervisor: TestAgent;
  let admin: TestAgent;
  let outsider: TestAgent;
  let customerId: string;

  beforeAll(async () => {
    ws = await createWorkspace();
    agent = await createAgent(ws, { name: 'Alex Agent' });
    colleague = await createAgent(ws);
    supervisor = await createAgent(ws, { role: 'supervisor' });
    admin = await createAgent(ws, { role: 'admin' });
    outsider = await createAgent(await createWorkspace(), { role: 'admin' });
    customerId = await newCustomer(ws, 'Maria Müller');
  });

  async function newCase(over: Record<string, unknown> = {}): Promise<CaseView> {
    const { db } = await getTestContext();
    return createCase(db, agent.actor, {
      customerId,
      subject: 'Charged twice',
      channel: 'email',
      assigneeId: null,
      message: { bodyText: 'Please help', authorType: 'customer' },
      ...over,
    });
  }

  describe('CRUD and permissions', () => {
    it('lets any agent keep personal macros, invisible to other agents', async () => {
      const mine = await postMacro(agent, { name: 'My greeting', body: 'Hi {{customer.first_name}}' });
      expect(mine).toMatchObject({
        shared: false,
        owner_agent_id: agent.id,
        version: 1,
        usage_count: 0,
        visibility: 'public',
        changes: {},
      });
      expectStatus(await call(colleague, 'GET', `/macros/${mine.id}`), 404);
      expectStatus(await call(colleague, 'PATCH', `/macros/${mine.id}`, { version: 1, name: 'Stolen' }), 404);
      expectStatus(await call(colleague, 'DELETE', `/macros/${mine.id}`), 404);
      expectStatus(await call(supervisor, 'GET', `/macros/${mine.id}`), 404);
      const listed = (await call(colleague, 'GET', '/macros?limit=100')).json<{ data: MacroView[] }>().data;
      expect(listed.map((m) => m.id)).not.toContain(mine.id);
      // Another agent may use the same name for their own macro.
      await postMacro(colleague, { name: 'My greeting', body: 'Hello' });
    });

    it('refuses shared macros to agents (403) and accepts them from supervisors and admins', async () => {
      const res = await call(agent, 'POST', '/macros', { name: 'Shared by agent', shared: true });
      expectStatus(res, 403);
      const bySupervisor = await postMacro(supervisor, { name: 'Refund policy', shared: true, body: 'Our refund policy...' });
      expect(bySupervisor).toMatchObject({ shared: true, owner_agent_id: null });
      expectStatus(await call(agent, 'GET', `/macros/${bySupervisor.id}`), 200);
      expectStatus(await call(agent, 'PATCH', `/macros/${bySupervisor.id}`, { version: 1, name: 'x' }), 403);
      expectStatus(await call(agent, 'DELETE', `/macros/${bySupervisor.id}`), 403);
      // An agent may not publish a personal macro either.
      const mine = await postMacro(agent, { name: 'To publish' });
      expectStatus(await call(agent, 'PATCH', `/macros/${mine.id}`, { version: 1, shared: true }), 403);
      const published = await call(admin, 'POST', '/macros', { name: 'Admin shared', shared: true });
      expectStatus(published, 201);
    });

    it('hides macros of other workspaces (404)', async () => {
      const shared = await postMacro(admin, { name: 'Workspace only', shared: true });
      expectStatus(await call(outsider, 'GET', `/macros/${shared.id}`), 404);
      expectStatus(await call(outsider, 'PATCH', `/macros/${shared.id}`, { version: 1, name: 'x' }), 404);
      expectStatus(await call(outsider, 'DELETE', `/macros/${shared.id}`), 404);
      expectStatus(await call(outsider, 'GET', '/macros/not-a-uuid'), 404);
      const kase = await newCase();
      expectStatus(await call(outsider, 'POST', `/cases/${kase.id}/macros/${shared.id}/apply`, {}), 404);
    });

    it('refuses a name already used in the same scope (409)', async () => {
      await postMacro(supervisor, { name: 'Duplicate', shared: true });
      const res = await call(admin, 'POST', '/macros', { name: 'duplicate', shared: true });
      expectStatus(res, 409);
      expect(res.json<ErrorResponse>().error.code).toBe('macro.name_taken');
    });

    it('changes a macro under its version and refuses a stale one (409)', async () => {
      const macro = await postMacro(agent, { name: 'Versioned', body: 'v1' });
      const res = await call(agent, 'PATCH', `/macros/${macro.id}`, {
        version: 1,
        body: 'v2 {{case.number}}',
        changes: { priority: 'high' },
      });
      expectStatus(res, 200);
      expect(res.json<MacroView>()).toMatchObject({ version: 2, body: 'v2 {{case.number}}', changes: { priority: 'high' } });
      const stale = await call(agent, 'PATCH', `/macros/${macro.id}`, { version: 1, body: 'v3' });
      expectStatus(stale, 409);
      expect(stale.json<ErrorResponse>().error).toMatchObject({ code: 'macro.stale_version', details: { current_version: 2 } });
      expectStatus(await call(agent, 'DELETE', `/macros/${macro.id}`), 204);
      expectStatus(await call(agent, 'GET', `/macros/${macro.id}`), 404);
    });

    it('replays a create with the same Idempotency-Key', async () => {
      const headers = { 'idempotency-key': `macro-${Date.now()}` };
      const first = await call(agent, 'POST', '/macros', { name: 'Idempotent' }, headers);
      const second = await call(agent, 'POST', '/macros', { name: 'Idempotent' }, headers);
      expectStatus(first, 201);
      expect(second.json<MacroView>().id).toBe(first.json<MacroView>().id);
    });
  });

  describe('validation', () => {
    it('refuses unknown placeholders with the field named (400)', async () => {
      const res = await call(agent, 'POST', '/macros', { name: 'Bad template', body: 'Hi {{customer.nickname}}' });
      expectStatus(res, 400);
      const error = res.json<ErrorResponse>().error;
      expect(error.code).toBe('validation_failed');
      expect(error.details?.fields).toEqual([{ field: 'body', problem: expect.stringContaining('{{customer.nickname}}') as unknown }]);
      const macro = await postMacro(agent, { name: 'Good template' });
      expectStatus(await call(agent, 'PATCH', `/macros/${macro.id}`, { version: 1, body: '{{ nope }}' }), 400);
    });

    it('refuses unknown teams, queues and agents (422)', async () => {
      const foreignTeam = await createTeam({ id: outsider.workspaceId }, { name: 'Foreign' });
      const team = await createTeam(ws, { name: 'Billing desk', queues: [{ name: 'Invoices' }] });
      const foreignAgent = outsider.id;
      for (const [changes, code] of [
        [{ team_id: foreignTeam.id }, 'macro.unknown_team'],
        [{ team_id: team.id, queue_id: '00000000-0000-4000-8000-000000000000' }, 'macro.unknown_queue'],
        [{ queue_id: team.queues[0]!.id }, 'macro.queue_needs_team'],
        [{ assignee: foreignAgent }, 'macro.unknown_agent'],
        [{ assignee: 'somebody' }, 'macro.unknown_agent'],
      ] as const) {
        const res = await call(agent, 'POST', '/macros', { name: `Bad ${code} ${Math.random()}`, changes });
        expectStatus(res, 422);
        expect(res.json<ErrorResponse>().error.code).toBe(code);
      }
      await postMacro(agent, { name: 'Route to billing', changes: { team_id: team.id, queue_id: team.queues[0]!.id, assignee: 'me' } });
    });

    it('refuses unknown fields, bad enums, too long names and a tag both added and removed (400)', async () => {
      expectStatus(await call(agent, 'POST', '/macros', { name: 'x', colour: 'red' }), 400);
      expectStatus(await call(agent, 'POST', '/macros', { name: 'x', changes: { priority: 'extreme' } }), 400);
      expectStatus(await call(agent, 'POST', '/macros', { name: 'x', changes: { owner: 'me' } }), 400);
      expectStatus(await call(agent, 'POST', '/macros', { name: 'n'.repeat(101) }), 400);
      expectStatus(await call(agent, 'POST', '/macros', { name: '   ' }), 400);
      expectStatus(await call(agent, 'POST', '/macros', { name: 'tags', changes: { add_tags: ['vip'], remove_tags: ['VIP'] } }), 400);
      expectStatus(await call(agent, 'GET', '/macros?cursor=%%%'), 400);
    });
  });

  describe('search and listing', () => {
    it('searches name, description and body within the visible scopes, page by page', async () => {
      const a = await createAgent(ws);
      await postMacro(a, { name: 'Zeta escalation', body: 'Escalating now' });
      await postMacro(a, { name: 'Alpha refund', description: 'for refunds' });
      await postMacro(supervisor, { name: 'Shared searchable 100%', shared: true, body: 'we escalate it' });
      const search = async (q: string, scope = 'all') =>
        (await call(a, 'GET', `/macros?q=${encodeURIComponent(q)}&scope=${scope}`)).json<{ data: MacroView[] }>().data.map((m) => m.name);
      expect(await search('escalat')).toEqual(['Shared searchable 100%', 'Zeta escalation']);
      expect(await search('escalat', 'personal')).toEqual(['Zeta escalation']);
      expect(await search('escalat', 'shared')).toEqual(['Shared searchable 100%']);
      expect(await search('REFUNDS')).toEqual(['Alpha refund']);
      // LIKE wildcards are literal.
      expect(await search('100%')).toEqual(['Shared searchable 100%']);
      expect(await search('_')).toEqual([]);

      const first = (await call(a, 'GET', '/macros?scope=personal&limit=1')).json<{ data: MacroView[]; next_cursor: string }>();
      expect(first.data.map((m) => m.name)).toEqual(['Alpha refund']);
      const second = (await call(a, 'GET', `/macros?scope=personal&limit=1&cursor=${first.next_cursor}`)).json<{
        data: MacroView[];
        next_cursor: string | null;
      }>();
      expect(second.data.map((m) => m.name)).toEqual(['Zeta escalation']);
      expect(second.next_cursor).toBeNull();
    });
  });

  describe('preview and apply', () => {
    let macro: MacroView;
    let team: { id: string };
    beforeAll(async () => {
      team = await createTeam(ws, { name: 'Escalations', memberIds: [agent.id] });
      macro = await postMacro(supervisor, {
        name: 'Escalate billing',
        shared: true,
        body: 'Hi {{customer.first_name}}, case {{case.number}} is now {{case.priority}}. – {{agent.name}}',
        changes: { priority: 'urgent', team_id: team.id, assignee: 'me', add_tags: ['escalated'], remove_tags: ['waiting'] },
      });
    });

    it('previews the rendered reply and the changes without changing anything', async () => {
      const kase = await newCase({ tags: ['waiting', 'billing'] });
      const res = await call(agent, 'POST', `/cases/${kase.id}/macros/${macro.id}/preview`);
      expectStatus(res, 200);
      const preview = res.json<Preview>();
      expect(preview.body).toBe(`Hi Maria, case ${kase.number} is now normal. – Alex Agent`);
      expect(preview.changes).toEqual([
        { field: 'priority', from: 'normal', to: 'urgent' },
        { field: 'team_id', from: null, to: team.id },
        { field: 'assignee_id', from: null, to: agent.id },
        { field: 'tags', from: ['waiting', 'billing'], to: ['billing', 'escalated'] },
      ]);
      const after = (await call(agent, 'GET', `/cases/${kase.id}`)).json<CaseView>();
      expect(after).toMatchObject({ version: kase.version, priority: 'normal' });
      expect((await call(agent, 'GET', `/macros/${macro.id}`)).json<MacroView>().usage_count).toBe(0);
    });

    it('applies the changes with history and usage, returning the rendered reply (not sent)', async () => {
      const kase = await newCase({ tags: ['waiting'] });
      const res = await call(agent, 'POST', `/cases/${kase.id}/macros/${macro.id}/apply`, { case_version: kase.version });
      expectStatus(res, 200);
      const applied = res.json<Applied>();
      expect(applied.case).toMatchObject({ priority: 'urgent', team_id: team.id, assignee: { id: agent.id }, tags: ['escalated'] });
      expect(applied.case.version).toBeGreaterThan(kase.version);
      expect(applied.body).toBe(`Hi Maria, case ${kase.number} is now urgent. – Alex Agent`);
      expect(applied.macro.usage_count).toBe(1);
      expect(applied.macro.last_used_at).not.toBeNull();
      const types = await eventTypes(kase.id);
      expect(types).toEqual(expect.arrayContaining(['priority_changed', 'team_changed', 'assigned', 'tags_changed', 'macro_applied']));
      const history = (await call(agent, 'GET', `/cases/${kase.id}/events`)).json<{
        data?: { type: string; data: Record<string, unknown> }[];
      }>();
      const events = Array.isArray(history) ? (history as { type: string; data: Record<string, unknown> }[]) : (history.data ?? []);
      expect(events.find((e) => e.type === 'macro_applied')?.data).toMatchObject({ macro_id: macro.id, macro_name: 'Escalate billing' });
      // The reply was not sent: the case has only the customer's message.
      const messages = (await call(agent, 'GET', `/cases/${kase.id}/messages`)).json<{ data: unknown[] }>().data;
      expect(messages).toHaveLength(1);
    });

    it('refuses a stale case version (409) and changes nothing', async () => {
      const kase = await newCase();
      expectStatus(await call(agent, 'PATCH', `/cases/${kase.id}`, { version: kase.version, priority: 'low' }), 200);
      const res = await call(agent, 'POST', `/cases/${kase.id}/macros/${macro.id}/apply`, { case_version: kase.version });
      expectStatus(res, 409);
      expect(res.json<ErrorResponse>().error.code).toBe('case.stale_version');
      const after = (await call(agent, 'GET', `/cases/${kase.id}`)).json<CaseView>();
      expect(after.priority).toBe('low');
      expect(await eventTypes(kase.id)).not.toContain('macro_applied');
      expect((await call(agent, 'GET', `/macros/${macro.id}`)).json<MacroView>().usage_count).toBe(1);
    });

    it('applies without a version (locks the case) and applies a reply-only macro', async () => {
      const kase = await newCase();
      expectStatus(await call(agent, 'POST', `/cases/${kase.id}/macros/${macro.id}/apply`, {}), 200);
      const replyOnly = await postMacro(agent, { name: 'Thanks only', body: 'Thanks {{customer.name}}', visibility: 'internal' });
      const res = await call(agent, 'POST', `/cases/${kase.id}/macros/${replyOnly.id}/apply`, {});
      expectStatus(res, 200);
      expect(res.json<Applied>()).toMatchObject({ body: 'Thanks Maria Müller', visibility: 'internal', changes: [] });
    });

    it("refuses another agent's personal macro and an unknown case (404)", async () => {
      const kase = await newCase();
      const theirs = await postMacro(colleague, { name: 'Private', changes: { priority: 'low' } });
      const res = await call(agent, 'POST', `/cases/${kase.id}/macros/${theirs.id}/apply`, {});
      expectStatus(res, 404);
      expect(res.json<ErrorResponse>().error.code).toBe('macro.not_found');
      expectStatus(await call(agent, 'POST', `/cases/${kase.id}/macros/${theirs.id}/preview`), 404);
      expectStatus(await call(agent, 'POST', `/cases/00000000-0000-4000-8000-000000000000/macros/${macro.id}/apply`, {}), 404);
    });
  });

  it('serves the placeholder list for the composer', async () => {
    const res = await call(agent, 'GET', '/macros/placeholders');
    expectStatus(res, 200);
    expect(res.json<{ data: { name: string }[] }>().data.map((p) => p.name)).toContain('customer.first_name');
  });
});
