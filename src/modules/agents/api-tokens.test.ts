import { beforeAll, describe, expect, it } from 'vitest';
import { createAgent, createWorkspace } from '../../test/factories.js';
import { getTestApp, getTestContext } from '../../test/harness.js';
import type { AuditEntryView } from './audit-log.js';
import type { AgentView, ApiTokenView } from './views.js';

type PageOf<T> = { data: T[]; next_cursor: string | null };
type Created = { api_token: ApiTokenView; secret: string };

type ErrorResponse = { error: { code: string; message: string; details?: Record<string, unknown> } };

// Starting the server (and loading the database) is slow on a busy machine: not part of any test's time.
beforeAll(async () => {
  await getTestApp();
});

describe('API tokens', () => {
  it('creates a token whose secret is shown once and works as a bearer token', async () => {
    const { db } = await getTestContext();
    const app = await getTestApp();
    const workspace = await createWorkspace();
    const admin = await createAgent(workspace, { role: 'admin' });
    const agent = await createAgent(workspace);
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/api-tokens',
      headers: admin.headers,
      payload: { name: 'CRM sync', agent_id: agent.id },
    });
    expect(res.statusCode).toBe(201);
    const { api_token: token, secret } = res.json<Created>();
    expect(secret).toMatch(/^btn_[A-Za-z0-9_-]{43}$/);
    expect(token).toMatchObject({
      name: 'CRM sync',
      agent_id: agent.id,
      token_prefix: secret.slice(0, 8),
      created_by: admin.id,
      revoked_at: null,
    });

    const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${secret}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json<AgentView>().id).toBe(agent.id);

    const stored = await db.selectFrom('api_tokens').select('token_hash').where('id', '=', token.id).executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(secret);
    const list = await app.inject({ method: 'GET', url: '/api/v1/api-tokens', headers: admin.headers });
    expect(list.statusCode).toBe(200);
    expect(JSON.stringify(list.json())).not.toContain(secret);
    expect(list.json<PageOf<ApiTokenView>>().data.map((t: { id: string }) => t.id)).toContain(token.id);
  });

  it('revokes a token: it then gets 401; the revocation is audited', async () => {
    const { db } = await getTestContext();
    const app = await getTestApp();
    const admin = await createAgent(await createWorkspace(), { role: 'admin' });
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/api-tokens',
      headers: admin.headers,
      payload: { name: 'Short-lived' },
    });
    const { api_token: token, secret } = created.json<Created>();
    expect(token.agent_id).toBe(admin.id);
    const bearer = { authorization: `Bearer ${secret}` };
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer })).statusCode).toBe(200);
    const del = await app.inject({ method: 'DELETE', url: `/api/v1/api-tokens/${token.id}`, headers: admin.headers });
    expect(del.statusCode).toBe(204);
    const after = await app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer });
    expect(after.statusCode).toBe(401);
    expect(after.json<ErrorResponse>().error.code).toBe('auth.invalid_token');
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/api-tokens/${token.id}`, headers: admin.headers })).statusCode).toBe(204);
    const audit = await db.selectFrom('audit_log').select('action').where('target_id', '=', token.id).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['api_token.created', 'api_token.revoked']);
  });

  it('refuses an expired token', async () => {
    const app = await getTestApp();
    const admin = await createAgent(await createWorkspace(), { role: 'admin' });
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/api-tokens',
      headers: admin.headers,
      payload: { name: 'Soon gone', expires_at: expiresAt },
    });
    expect(created.json<Created>().api_token.expires_at).toBe(expiresAt);
    const { db } = await getTestContext();
    await db
      .updateTable('api_tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', created.json<Created>().api_token.id)
      .execute();
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${created.json<Created>().secret}` } }))
        .statusCode,
    ).toBe(401);
  });

  it('is for admins, within the workspace, with validated input', async () => {
    const app = await getTestApp();
    const workspace = await createWorkspace();
    const admin = await createAgent(workspace, { role: 'admin' });
    const supervisor = await createAgent(workspace, { role: 'supervisor' });
    const inactive = await createAgent(workspace, { status: 'deactivated' });
    const foreign = await createAgent(await createWorkspace(), { role: 'admin' });
    const post = (headers: Record<string, string>, payload: object) =>
      app.inject({ method: 'POST', url: '/api/v1/api-tokens', headers, payload });

    expect((await post(supervisor.headers, { name: 'x' })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/v1/api-tokens', headers: supervisor.headers })).statusCode).toBe(403);
    const foreignAgent = await post(admin.headers, { name: 'x', agent_id: foreign.id });
    expect(foreignAgent.statusCode).toBe(404);
    expect(foreignAgent.json<ErrorResponse>().error.code).toBe('agent.not_found');
    const inactiveAgent = await post(admin.headers, { name: 'x', agent_id: inactive.id });
    expect(inactiveAgent.statusCode).toBe(422);
    expect(inactiveAgent.json<ErrorResponse>().error.code).toBe('api_token.agent_inactive');
    const past = await post(admin.headers, { name: 'x', expires_at: '2001-01-01T00:00:00Z' });
    expect(past.statusCode).toBe(422);
    expect(past.json<ErrorResponse>().error.code).toBe('api_token.expiry_in_past');
    expect((await post(admin.headers, { name: 'x', expires_at: 'tomorrow' })).statusCode).toBe(400);
    expect((await post(admin.headers, { name: 'x'.repeat(101) })).statusCode).toBe(400);
    expect((await post(admin.headers, { name: 'x', scopes: ['all'] })).statusCode).toBe(400);

    // A foreign admin cannot revoke this workspace's tokens.
    const mine = await post(admin.headers, { name: 'mine' });
    const foreignRevoke = await app.inject({
      method: 'DELETE',
      url: `/api/v1/api-tokens/${mine.json<Created>().api_token.id}`,
      headers: foreign.headers,
    });
    expect(foreignRevoke.statusCode).toBe(404);
    expect(foreignRevoke.json<ErrorResponse>().error.code).toBe('api_token.not_found');
  });

  it('pages the token list newest first', async () => {
    const app = await getTestApp();
    const admin = await createAgent(await createWorkspace(), { role: 'admin' });
    const ids: string[] = [];
    for (const name of ['one', 'two', 'three']) {
      ids.push(
        (await app.inject({ method: 'POST', url: '/api/v1/api-tokens', headers: admin.headers, payload: { name } })).json<Created>()
          .api_token.id,
      );
    }
    const page = async (cursor: string | null) => {
      const res = await app.inject({
        method: 'GET',
        url: `/api/v1/api-tokens?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        headers: admin.headers,
      });
      expect(res.statusCode).toBe(200);
      return res.json<{ data: { id: string }[]; next_cursor: string | null }>();
    };
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const body = await page(cursor);
      seen.push(...body.data.map((t) => t.id));
      cursor = body.next_cursor;
    } while (cursor);
    // The factory's own token comes last; every token appears once.
    expect(seen).toHaveLength(4);
    expect(seen.slice(0, 3)).toEqual([...ids].reverse());
    const forged = Buffer.from(JSON.stringify(['yesterday', 'x'])).toString('base64url');
    expect((await app.inject({ method: 'GET', url: `/api/v1/api-tokens?cursor=${forged}`, headers: admin.headers })).statusCode).toBe(400);
  });
});

describe('GET /audit-log', () => {
  it('shows supervisors and admins the workspace log, newest first, and refuses agents', async () => {
    const app = await getTestApp();
    const workspace = await createWorkspace();
    const admin = await createAgent(workspace, { role: 'admin' });
    const supervisor = await createAgent(workspace, { role: 'supervisor' });
    const agent = await createAgent(workspace);
    await app.inject({ method: 'POST', url: '/api/v1/api-tokens', headers: admin.headers, payload: { name: 'a' } });
    await app.inject({ method: 'PATCH', url: `/api/v1/agents/${agent.id}`, headers: admin.headers, payload: { capacity: 5 } });
    const otherAdmin = await createAgent(await createWorkspace(), { role: 'admin' });
    await app.inject({ method: 'POST', url: '/api/v1/api-tokens', headers: otherAdmin.headers, payload: { name: 'elsewhere' } });

    const res = await app.inject({ method: 'GET', url: '/api/v1/audit-log?limit=1', headers: supervisor.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json<PageOf<AuditEntryView>>().data).toEqual([
      expect.objectContaining({
        action: 'agent.updated',
        actor_type: 'agent',
        actor_id: admin.id,
        target_type: 'agent',
        target_id: agent.id,
        details: { capacity: { from: 20, to: 5 } },
      }),
    ]);
    const next = await app.inject({
      method: 'GET',
      url: `/api/v1/audit-log?limit=1&cursor=${res.json<PageOf<AuditEntryView>>().next_cursor}`,
      headers: supervisor.headers,
    });
    expect(next.json<PageOf<AuditEntryView>>().data.map((e: { action: string }) => e.action)).toEqual(['api_token.created']);
    expect(next.json<PageOf<AuditEntryView>>().next_cursor).toBeNull();
    const filtered = await app.inject({ method: 'GET', url: '/api/v1/audit-log?action=api_token.created', headers: admin.headers });
    expect(filtered.json<PageOf<AuditEntryView>>().data).toHaveLength(1);
    expect((await app.inject({ method: 'GET', url: '/api/v1/audit-log', headers: agent.headers })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/v1/audit-log?target_id=nope', headers: admin.headers })).statusCode).toBe(400);
  });
});
