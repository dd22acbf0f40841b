import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { getTestApp, getTestContext } from '../test/harness.js';
import { createAgent, createWorkspace } from '../test/factories.js';

/**
 * Issue 2, "Bad input": each kind of bad input gets the precise error of CONVENTIONS.md, and
 * nothing is half-written. Module tests cover their own fields; this file proves the edge rules
 * once, end to end, counting rows before and after.
 */
async function counts(workspaceId: string) {
  const { db } = await getTestContext();
  const row = await sql<{ cases: number; customers: number; messages: number; events: number; outbox: number }>`
    select (select count(*)::int from cases where workspace_id = ${workspaceId}) as cases,
           (select count(*)::int from customers where workspace_id = ${workspaceId}) as customers,
           (select count(*)::int from messages where workspace_id = ${workspaceId}) as messages,
           (select count(*)::int from case_events where workspace_id = ${workspaceId}) as events,
           (select count(*)::int from domain_events where workspace_id = ${workspaceId}) as outbox`.execute(db);
  return row.rows[0]!;
}

async function setup() {
  const app = await getTestApp();
  const ws = await createWorkspace();
  const agent = await createAgent(ws, { role: 'admin' });
  const created = await app.inject({
    method: 'POST',
    url: '/api/v1/cases',
    headers: agent.headers,
    payload: {
      customer: { email: 'payer@example.test', name: 'Pat Payer' },
      subject: 'Refund please',
      category: 'refund',
      message: { body: 'I was charged twice.' },
    },
  });
  expect(created.statusCode).toBe(201);
  return { app, ws, agent, kase: created.json<{ id: string; number: number; version: number }>() };
}

const validCase = { customer: { email: 'new@example.test' }, subject: 'Invoice question', category: 'billing', message: { body: 'Hello' } };

describe('bad input at the HTTP edge', () => {
  it('invalid JSON: 400 invalid_json, nothing written', async () => {
    const { app, ws, agent } = await setup();
    const before = await counts(ws.id);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: { ...agent.headers, 'content-type': 'application/json' },
      payload: '{"subject": "x",',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'invalid_json' } });
    expect(await counts(ws.id)).toEqual(before);
  });

  it('unknown field: 400 naming the field, nothing written', async () => {
    const { app, ws, agent } = await setup();
    const before = await counts(ws.id);
    const res = await app.inject({ method: 'POST', url: '/api/v1/cases', headers: agent.headers, payload: { ...validCase, sla: 'now' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      error: { code: 'validation_failed', details: { fields: [{ field: 'sla', problem: 'is not a known field' }] } },
    });
    expect(await counts(ws.id)).toEqual(before);
  });

  it('wrong type: 400, a number is not coerced into a string', async () => {
    const { app, ws, agent } = await setup();
    const before = await counts(ws.id);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: agent.headers,
      payload: { ...validCase, subject: 12345 },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      error: { code: 'validation_failed', details: { fields: [{ field: 'subject', problem: 'must be of type string' }] } },
    });
    expect(await counts(ws.id)).toEqual(before);
  });

  it('over-long string: 400 with the limit, nothing written', async () => {
    const { app, ws, agent } = await setup();
    const before = await counts(ws.id);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: agent.headers,
      payload: { ...validCase, subject: 'x'.repeat(301) },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.fields[0]).toMatchObject({
      field: 'subject',
      problem: expect.stringMatching(/at most \d+ characters/),
    });
    expect(await counts(ws.id)).toEqual(before);
  });

  it('oversized JSON body: 413 payload_too_large, nothing written', async () => {
    const { app, ws, agent } = await setup();
    const before = await counts(ws.id);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: agent.headers,
      payload: { ...validCase, message: { body: 'x'.repeat(1_100_000) } },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    expect(await counts(ws.id)).toEqual(before);
  });

  it('bad cursor: 400 pagination.invalid_cursor', async () => {
    const { app, agent } = await setup();
    for (const cursor of [
      'not-base64!',
      Buffer.from('"just a string"').toString('base64url'),
      Buffer.from('[1,2,3,4,5]').toString('base64url'),
    ]) {
      const res = await app.inject({ method: 'GET', url: `/api/v1/cases?cursor=${encodeURIComponent(cursor)}`, headers: agent.headers });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'pagination.invalid_cursor' } });
    }
  });

  it('a cookie-authenticated POST without the CSRF header: 403 auth.csrf_failed, nothing written', async () => {
    const { app, ws, agent } = await setup();
    const before = await counts(ws.id);
    const res = await app.inject({ method: 'POST', url: '/api/v1/cases', headers: { cookie: agent.headers.cookie! }, payload: validCase });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'auth.csrf_failed' } });
    expect(await counts(ws.id)).toEqual(before);
  });

  it('concurrent updates: the stale one gets 409 case.stale_version and changes nothing', async () => {
    const { app, ws, agent, kase } = await setup();
    const [a, b] = await Promise.all([
      app.inject({
        method: 'PATCH',
        url: `/api/v1/cases/${kase.id}`,
        headers: agent.headers,
        payload: { version: kase.version, priority: 'high' },
      }),
      app.inject({
        method: 'PATCH',
        url: `/api/v1/cases/${kase.id}`,
        headers: agent.headers,
        payload: { version: kase.version, priority: 'urgent' },
      }),
    ]);
    const statuses = [a.statusCode, b.statusCode].sort();
    expect(statuses).toEqual([200, 409]);
    const loser = a.statusCode === 409 ? a : b;
    const winner = a.statusCode === 200 ? a : b;
    expect(loser.json()).toMatchObject({ error: { code: 'case.stale_version', details: { current_version: kase.version + 1 } } });
    const after = await app.inject({ method: 'GET', url: `/api/v1/cases/${kase.id}`, headers: agent.headers });
    expect(after.json().priority).toBe(winner.json().priority);
    const events = await counts(ws.id);
    const priorityEvents = await (
      await getTestContext()
    ).db
      .selectFrom('case_events')
      .select('id')
      .where('case_id', '=', kase.id)
      .where('type', '=', 'priority_changed')
      .execute();
    expect(priorityEvents).toHaveLength(1);
    expect(events.cases).toBe(1);
  });

  it('an illegal status change: 422 case.illegal_transition, nothing written', async () => {
    const { app, ws, agent, kase } = await setup();
    const before = await counts(ws.id);
    const closed = await app.inject({
      method: 'PATCH',
      url: `/api/v1/cases/${kase.id}`,
      headers: agent.headers,
      payload: { version: kase.version, status: 'closed' },
    });
    expect(closed.statusCode).toBe(422);
    expect(closed.json()).toMatchObject({ error: { code: 'case.illegal_transition', details: { from: 'new', to: 'closed' } } });
    expect(await counts(ws.id)).toEqual(before);
  });

  it('an over-long Idempotency-Key: 400 naming the header, nothing written', async () => {
    const { app, ws, agent } = await setup();
    const before = await counts(ws.id);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: { ...agent.headers, 'idempotency-key': 'k'.repeat(256) },
      payload: validCase,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      error: {
        code: 'validation_failed',
        details: { part: 'headers', fields: [{ field: 'idempotency-key', problem: 'must be at most 255 characters' }] },
      },
    });
    expect(await counts(ws.id)).toEqual(before);
  });

  it('a non-JSON content type: 415', async () => {
    const { app, agent } = await setup();
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: { ...agent.headers, 'content-type': 'text/plain' },
      payload: 'subject=x',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
  });
});
