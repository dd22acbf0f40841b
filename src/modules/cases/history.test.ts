import { beforeAll, describe, expect, it } from 'vitest';
import { getTestApp } from '../../test/harness.js';
import { createWorkspace } from '../../test/factories.js';
import { caseWorld, newCustomer, patchCase, postCase, postMessage, type ErrorResponse } from './test-support.js';
import type { CaseEventView, TimelineItem } from './views.js';

// Building the app and loading the database template is slow on a busy machine: not inside a test's time budget.
beforeAll(async () => {
  await getTestApp();
});

describe('case history', () => {
  it('lists a case’s events oldest first with the acting agent', async () => {
    const { app, agent, customerId } = await caseWorld();
    const view = await postCase(agent, { customer_id: customerId });
    await patchCase(agent, view.id, { version: 1, priority: 'urgent' });
    const res = await app.inject({ method: 'GET', url: `/api/v1/cases/${view.id}/events`, headers: agent.headers });
    expect(res.statusCode, res.body).toBe(200);
    const events = res.json<{ data: CaseEventView[] }>().data;
    expect(events.map((e) => e.type)).toEqual(['created', 'message_added', 'priority_changed']);
    expect(events[2]).toMatchObject({ actor_type: 'agent', actor: { id: agent.id }, data: { from: 'normal', to: 'urgent' } });
    expect(events[0]!.data).toMatchObject({ number: 1001, customer_id: customerId });
  });
});

describe('customer timeline', () => {
  it('merges events and messages of all the customer’s cases, newest first, across pages', async () => {
    const { app, db, agent, workspace, customerId } = await caseWorld();
    const first = await postCase(agent, { customer_id: customerId, subject: 'First' });
    const second = await postCase(agent, { customer_id: customerId, subject: 'Second' });
    await postMessage(agent, first.id, { body: 'Reply on first', visibility: 'public' });
    await postMessage(agent, second.id, { body: 'Note on second', visibility: 'internal' });
    await patchCase(agent, second.id, { version: 2, priority: 'high' });
    const stranger = await postCase(agent, { customer_id: await newCustomer(workspace, 'Stranger') });

    const items: TimelineItem[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/v1/customers/${customerId}/timeline?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await app.inject({ method: 'GET', url, headers: agent.headers });
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json<{ data: TimelineItem[]; next_cursor: string | null }>();
      expect(page.data.length).toBeLessThanOrEqual(2);
      items.push(...page.data);
      cursor = page.next_cursor;
      pages++;
    } while (cursor && pages < 20);

    const caseIds = [first.id, second.id];
    const events = await db
      .selectFrom('case_events')
      .select('id')
      .where('case_id', 'in', caseIds)
      .where('type', '<>', 'message_added')
      .execute();
    const messages = await db.selectFrom('messages').select('id').where('case_id', 'in', caseIds).execute();
    expect(
      items
        .filter((i) => i.kind === 'event')
        .map((i) => Number(i.id))
        .sort((a, b) => a - b),
    ).toEqual(events.map((e) => Number(e.id)).sort((a, b) => a - b));
    expect(
      items
        .filter((i) => i.kind === 'message')
        .map((i) => i.id)
        .sort(),
    ).toEqual(messages.map((m) => m.id).sort());
    expect(items.some((i) => i.case.id === stranger.id)).toBe(false);
    const times = items.map((i) => Date.parse(i.created_at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(items[0]).toMatchObject({
      kind: 'event',
      case: { id: second.id, number: second.number, subject: 'Second' },
      event: { type: 'priority_changed' },
    });
    const note = items.find((i) => i.kind === 'message' && i.message?.visibility === 'internal');
    expect(note?.message?.body_text).toBe('Note on second');
  });

  it('answers 404 for an unknown or foreign customer and 400 for a bad cursor', async () => {
    const { app, agent, customerId } = await caseWorld();
    const foreignCustomer = await newCustomer(await createWorkspace());
    for (const id of [foreignCustomer, '00000000-0000-4000-8000-000000000000']) {
      const res = await app.inject({ method: 'GET', url: `/api/v1/customers/${id}/timeline`, headers: agent.headers });
      expect(res.statusCode).toBe(404);
      expect(res.json<ErrorResponse>().error.code).toBe('customer.not_found');
    }
    const empty = await app.inject({ method: 'GET', url: `/api/v1/customers/${customerId}/timeline`, headers: agent.headers });
    expect(empty.json()).toEqual({ data: [], next_cursor: null });
    for (const bad of [
      'abc!',
      Buffer.from(JSON.stringify([1, 2, 'x'])).toString('base64url'),
      Buffer.from(JSON.stringify([1, 1, "x' or 1=1"])).toString('base64url'),
    ]) {
      const res = await app.inject({
        method: 'GET',
        url: `/api/v1/customers/${customerId}/timeline?cursor=${bad}`,
        headers: agent.headers,
      });
      expect(res.statusCode, bad).toBe(400);
    }
  });
});
