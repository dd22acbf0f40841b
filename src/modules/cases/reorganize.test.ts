import { beforeAll, describe, expect, it } from 'vitest';
import { getTestApp } from '../../test/harness.js';
import { createAgent, createTeam, createWorkspace } from '../../test/factories.js';
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
  patchCase,
  postCase,
  postMessage,
  type ErrorResponse,
} from './test-support.js';
import type { CaseView, PersonRef } from './views.js';

// Building the app and loading the database template is slow on a busy machine: not inside a test's time budget.
beforeAll(async () => {
  await getTestApp();
});

describe('splitting a case', () => {
  it('moves the chosen messages into a new case of the same customer', async () => {
    const { app, db, agent, customerId } = await caseWorld();
    const source = await postCase(agent, { customer_id: customerId, category: 'billing', tags: ['vip'], assignee_id: agent.id });
    await postMessage(agent, source.id, { body: 'About the invoice: fixed', visibility: 'public' });
    await postMessage(agent, source.id, { body: 'Also, my password reset fails', visibility: 'public' });
    const messages = await messagesOf(agent, source.id);
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/cases/${source.id}/split`,
      headers: agent.headers,
      payload: { message_ids: [messages[2]!.id], subject: 'Password reset fails' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json<CaseView>();
    expect(created).toMatchObject({
      number: 1002,
      subject: 'Password reset fails',
      status: 'open',
      category: 'billing',
      tags: ['vip'],
      assignee: { id: agent.id },
      customer: { id: customerId },
      version: 1,
    });
    expect((await messagesOf(agent, created.id)).map((m) => m.id)).toEqual([messages[2]!.id]);
    expect((await messagesOf(agent, source.id)).map((m) => m.id)).toEqual([messages[0]!.id, messages[1]!.id]);
    expect(await eventTypes(created.id)).toEqual(['created', 'split_from']);
    expect((await eventTypes(source.id)).at(-1)).toBe('split_to');
    expect(await domainEventTypes(created.id)).toEqual(['case.created', 'case.split_from']);
    const times = await db
      .selectFrom('cases')
      .select(['id', 'first_agent_reply_at', 'last_message_at'])
      .where('id', '=', created.id)
      .executeTakeFirstOrThrow();
    expect(times.first_agent_reply_at).not.toBeNull();
    expect((await getCaseView(agent, source.id)).version).toBeGreaterThan(source.version);
  });

  it('refuses to split off every message, messages of another case, or a closed case', async () => {
    const { app, agent, customerId } = await caseWorld();
    const source = await postCase(agent, { customer_id: customerId });
    const other = await postCase(agent, { customer_id: customerId });
    const [only] = await messagesOf(agent, source.id);
    const [foreign] = await messagesOf(agent, other.id);
    const split = (id: string, message_ids: string[]) =>
      app.inject({ method: 'POST', url: `/api/v1/cases/${id}/split`, headers: agent.headers, payload: { message_ids, subject: 'Split' } });
    const before = await historyCounts([source.id, other.id]);
    expect((await split(source.id, [only!.id])).json<ErrorResponse>().error.code).toBe('case.split_all_messages');
    await postMessage(agent, source.id, { body: 'second', visibility: 'internal' });
    const res = await split(source.id, [foreign!.id]);
    expect(res.statusCode).toBe(422);
    expect(res.json<ErrorResponse>().error).toMatchObject({ code: 'case.split_unknown_messages', details: { message_ids: [foreign!.id] } });
    expect((await split(source.id, [])).statusCode).toBe(400);
    expect((await historyCounts([source.id, other.id])).caseEvents).toBe(before.caseEvents + 1);
    let closed = (await patchCase(agent, other.id, { version: 1, status: 'solved' })).json<CaseView>();
    closed = (await patchCase(agent, other.id, { version: closed.version, status: 'closed' })).json<CaseView>();
    expect((await split(closed.id, [foreign!.id])).json<ErrorResponse>().error.code).toBe('case.closed');
  });
});

describe('merging cases', () => {
  it('moves messages and followers into the target, notes it, and closes the source', async () => {
    const { app, agent, workspace, customerId } = await caseWorld();
    const follower = await createAgent(workspace, { name: 'Follower' });
    const target = await postCase(agent, { customer_id: customerId, subject: 'Refund' });
    const source = await postCase(agent, { customer_id: await newCustomer(workspace, 'Spouse'), subject: 'Refund too' });
    await app.inject({
      method: 'POST',
      url: `/api/v1/cases/${source.id}/followers`,
      headers: agent.headers,
      payload: { agent_id: follower.id },
    });
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/cases/${target.id}/merge`,
      headers: agent.headers,
      payload: { source_case_id: source.id },
    });
    expect(res.statusCode, res.body).toBe(200);
    const merged = res.json<CaseView>();
    expect(merged.followers).toEqual([{ id: follower.id, name: 'Follower' }]);
    expect(merged.version).toBe(target.version + 1);
    const messages = await messagesOf(agent, target.id);
    expect(messages.map((m) => [m.author_type, m.visibility])).toEqual([
      ['customer', 'public'],
      ['customer', 'public'],
      ['system', 'internal'],
    ]);
    expect(messages[2]!.body_text).toBe(`Merged from #${source.number}: Refund too`);
    expect(await messagesOf(agent, source.id)).toEqual([]);
    expect(await getCaseView(agent, source.id)).toMatchObject({ status: 'closed', merged_into_id: target.id });
    expect((await eventTypes(source.id)).slice(-2)).toEqual(['merged_into', 'status_changed']);
    expect((await eventTypes(target.id)).slice(-2)).toEqual(['merged_from', 'message_added']);
    expect(await domainEventTypes(source.id)).toContain('case.merged_into');
    expect(await domainEventTypes(target.id)).toContain('case.merged_from');
  });

  it('refuses closed cases, the same case, and cases outside the workspace', async () => {
    const { app, agent, customerId } = await caseWorld();
    const target = await postCase(agent, { customer_id: customerId });
    const source = await postCase(agent, { customer_id: customerId });
    const merge = (targetId: string, sourceId: string) =>
      app.inject({ method: 'POST', url: `/api/v1/cases/${targetId}/merge`, headers: agent.headers, payload: { source_case_id: sourceId } });
    expect((await merge(target.id, target.id)).json<ErrorResponse>().error.code).toBe('case.merge_same');
    const outside = await caseWorld();
    const foreign = await postCase(outside.agent, { customer_id: outside.customerId });
    const foreignSource = await merge(target.id, foreign.id);
    expect(foreignSource.statusCode).toBe(422);
    expect(foreignSource.json<ErrorResponse>().error.code).toBe('case.merge_source_not_found');
    expect((await merge(foreign.id, source.id)).statusCode).toBe(404);
    await merge(target.id, source.id);
    const before = await historyCounts([target.id, source.id]);
    const again = await merge(target.id, source.id);
    expect(again.statusCode).toBe(422);
    expect(again.json<ErrorResponse>().error.code).toBe('case.merge_closed');
    expect((await merge(source.id, target.id)).json<ErrorResponse>().error.code).toBe('case.merge_closed');
    expect(await historyCounts([target.id, source.id])).toEqual(before);
    expect((await getCaseView(outside.agent, foreign.id)).status).toBe('new');
  });
});

describe('bulk updates', () => {
  it('applies changes per case and reports each result', async () => {
    const { app, agent, workspace, customerId } = await caseWorld();
    const team = await createTeam(workspace, {});
    const a = await postCase(agent, { customer_id: customerId, tags: ['old', 'keep'] });
    const b = await postCase(agent, { customer_id: customerId });
    let closed = await postCase(agent, { customer_id: customerId });
    closed = (await patchCase(agent, closed.id, { version: 1, status: 'solved' })).json<CaseView>();
    closed = (await patchCase(agent, closed.id, { version: closed.version, status: 'closed' })).json<CaseView>();
    const missing = '00000000-0000-4000-8000-000000000000';
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/cases/bulk',
      headers: agent.headers,
      payload: {
        case_ids: [a.id, b.id, closed.id, missing],
        changes: { status: 'pending', priority: 'high', assignee_id: agent.id, team_id: team.id, add_tags: ['Bulk'], remove_tags: ['old'] },
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ results: BulkResult[] }>().results).toEqual([
      { id: a.id, ok: true },
      { id: b.id, ok: true },
      {
        id: closed.id,
        ok: false,
        error: { code: 'case.illegal_transition', message: anyText, details: { from: 'closed', to: 'pending' } },
      },
      { id: missing, ok: false, error: { code: 'case.not_found', message: anyText } },
    ]);
    expect(await getCaseView(agent, a.id)).toMatchObject({
      status: 'pending',
      priority: 'high',
      assignee: { id: agent.id },
      team_id: team.id,
      tags: ['keep', 'bulk'],
    });
    expect(await getCaseView(agent, b.id)).toMatchObject({ status: 'pending', tags: ['bulk'] });
    expect(await getCaseView(agent, closed.id)).toMatchObject({ status: 'closed', priority: 'normal', version: closed.version });
    expect((await eventTypes(a.id)).slice(2)).toEqual(['status_changed', 'priority_changed', 'team_changed', 'assigned', 'tags_changed']);
  });

  it('refuses bad references for the whole request and oversized or malformed requests', async () => {
    const { app, agent, customerId } = await caseWorld();
    const a = await postCase(agent, { customer_id: customerId });
    const foreign = await createAgent(await createWorkspace());
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/cases/bulk',
      headers: agent.headers,
      payload: { case_ids: [a.id], changes: { assignee_id: foreign.id } },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json<ErrorResponse>().error.code).toBe('case.unknown_assignee');
    const ids = Array.from({ length: 101 }, () => a.id);
    for (const payload of [
      { case_ids: ids, changes: { priority: 'low' } },
      { case_ids: [], changes: { priority: 'low' } },
      { case_ids: [a.id], changes: {} },
      { case_ids: [a.id], changes: { subject: 'x' } },
    ]) {
      expect((await app.inject({ method: 'POST', url: '/api/v1/cases/bulk', headers: agent.headers, payload })).statusCode).toBe(400);
    }
    expect((await getCaseView(agent, a.id)).version).toBe(1);
  });
});

describe('followers', () => {
  it('follows and unfollows, once each, with history', async () => {
    const { app, agent, workspace, customerId } = await caseWorld();
    const colleague = await createAgent(workspace, { name: 'Zed Colleague' });
    const view = await postCase(agent, { customer_id: customerId });
    const follow = (payload: Record<string, unknown>) =>
      app.inject({ method: 'POST', url: `/api/v1/cases/${view.id}/followers`, headers: agent.headers, payload });
    expect((await follow({})).json<{ followers: PersonRef[] }>().followers).toEqual([{ id: agent.id, name: anyText }]);
    await follow({});
    const both = (await follow({ agent_id: colleague.id })).json<{ followers: PersonRef[] }>().followers;
    expect(both.map((f: { id: string }) => f.id)).toEqual([agent.id, colleague.id]);
    expect((await getCaseView(agent, view.id)).followers.map((f) => f.name)).toContain('Zed Colleague');
    const foreign = await createAgent(await createWorkspace());
    expect((await follow({ agent_id: foreign.id })).json<ErrorResponse>().error.code).toBe('case.unknown_agent');
    const del = await app.inject({ method: 'DELETE', url: `/api/v1/cases/${view.id}/followers/${agent.id}`, headers: agent.headers });
    expect(del.json<{ followers: PersonRef[] }>().followers).toEqual([{ id: colleague.id, name: 'Zed Colleague' }]);
    await app.inject({ method: 'DELETE', url: `/api/v1/cases/${view.id}/followers/${agent.id}`, headers: agent.headers });
    expect(await eventTypes(view.id)).toEqual(['created', 'message_added', 'follower_added', 'follower_added', 'follower_removed']);
  });
});
