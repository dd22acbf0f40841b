import crypto from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAgent, createWorkspace } from '../../test/factories.js';
import { getTestApp, getTestContext } from '../../test/harness.js';
import { hashPassword } from './passwords.js';
import type { AgentView, SessionView } from './views.js';

type ErrorResponse = { error: { code: string; message: string; details?: Record<string, unknown> } };

// Starting the server (and loading the database) is slow on a busy machine: not part of any test's time.
beforeAll(async () => {
  await getTestApp();
});

const PASSWORD = 'correct horse battery';
const randomIp = () => `10.${crypto.randomInt(256)}.${crypto.randomInt(256)}.${crypto.randomInt(1, 255)}`;

async function agentWithPassword(options: Parameters<typeof createAgent>[1] = {}) {
  const { db } = await getTestContext();
  const workspace = await createWorkspace();
  const agent = await createAgent(workspace, options);
  await db
    .updateTable('agents')
    .set({ password_hash: await hashPassword(PASSWORD) })
    .where('id', '=', agent.id)
    .execute();
  return { workspace, agent };
}

async function loginAs(email: string, password: string, ip: string) {
  const app = await getTestApp();
  return app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress: ip });
}

function sessionCookie(res: { cookies: { name: string; value: string }[] }): string {
  const cookie = res.cookies.find((c) => c.name === 'baton_session');
  if (!cookie) throw new Error('no session cookie');
  return `baton_session=${cookie.value}`;
}

describe('POST /auth/login', () => {
  it('signs in with the right password: session cookie, agent, workspace and CSRF token', async () => {
    const { workspace, agent } = await agentWithPassword({ role: 'supervisor' });
    const res = await loginAs(agent.email.toUpperCase(), PASSWORD, randomIp());
    expect(res.statusCode).toBe(200);
    const body = res.json<SessionView>();
    expect(body.agent).toMatchObject({ id: agent.id, email: agent.email, role: 'supervisor', status: 'active' });
    expect(body.agent).not.toHaveProperty('password_hash');
    expect(body.workspace).toEqual({ id: workspace.id, name: `Workspace ${workspace.slug}`, slug: workspace.slug });
    expect(body.csrf_token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^baton_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).not.toContain('Secure');
    const expires = new Date(/Expires=([^;]+)/.exec(setCookie)![1]!).getTime();
    expect(expires).toBeGreaterThan(Date.now() + 6 * 24 * 3600 * 1000);

    // The session works, and only its hash is stored.
    const app = await getTestApp();
    const session = await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: sessionCookie(res) } });
    expect(session.statusCode).toBe(200);
    expect(session.json()).toEqual(body);
    const { db } = await getTestContext();
    const token = res.cookies.find((c) => c.name === 'baton_session')!.value;
    const stored = await db.selectFrom('agent_sessions').select('token_hash').where('agent_id', '=', agent.id).execute();
    expect(stored.map((s) => s.token_hash)).not.toContain(token);
  });

  it('answers a wrong password and an unknown email identically', async () => {
    const { agent } = await agentWithPassword();
    const ip = randomIp();
    const wrong = await loginAs(agent.email, 'not the password', ip);
    const unknown = await loginAs(`nobody-${crypto.randomUUID()}@example.test`, PASSWORD, ip);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual({ error: { code: 'auth.invalid_credentials', message: 'Wrong email or password' } });
    expect(unknown.json()).toEqual(wrong.json());
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('refuses deactivated and invited agents, even with the right password', async () => {
    const { db } = await getTestContext();
    const { agent: deactivated } = await agentWithPassword();
    await db.updateTable('agents').set({ status: 'deactivated' }).where('id', '=', deactivated.id).execute();
    const res = await loginAs(deactivated.email, PASSWORD, randomIp());
    expect(res.statusCode).toBe(401);
    expect(res.json<ErrorResponse>().error.code).toBe('auth.invalid_credentials');

    const invited = await createAgent(await createWorkspace(), { status: 'invited' });
    const res2 = await loginAs(invited.email, PASSWORD, randomIp());
    expect(res2.statusCode).toBe(401);
    expect(res2.json<ErrorResponse>().error.code).toBe('auth.invalid_credentials');
  });

  it('refuses unknown fields, missing fields and over-long values', async () => {
    const app = await getTestApp();
    const post = (payload: unknown) =>
      app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: payload as object, remoteAddress: randomIp() });
    const extra = await post({ email: 'a@b.test', password: 'x', remember: true });
    expect(extra.statusCode).toBe(400);
    expect(extra.json<ErrorResponse>().error.details?.fields).toContainEqual({ field: 'remember', problem: 'is not a known field' });
    expect((await post({ email: 'a@b.test' })).statusCode).toBe(400);
    expect((await post({ email: 'a@b.test', password: 'x'.repeat(201) })).statusCode).toBe(400);
    expect((await post({ email: `${'a'.repeat(250)}@b.test`, password: 'x' })).statusCode).toBe(400);
    expect((await post({ email: 'a@b.test', password: 1234567890 })).statusCode).toBe(400);
  });
});

describe('login throttling', () => {
  it('blocks an email from one address after 5 failures with 429 and Retry-After, even for the right password', async () => {
    const { agent } = await agentWithPassword();
    const ip = randomIp();
    for (let i = 0; i < 5; i++) {
      expect((await loginAs(agent.email, `wrong password ${i}`, ip)).statusCode).toBe(401);
    }
    const blocked = await loginAs(agent.email, PASSWORD, ip);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json<ErrorResponse>().error.code).toBe('auth.too_many_attempts');
    const retryAfter = Number(blocked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(900);
    // Another address is not affected by this email's bucket.
    expect((await loginAs(agent.email, PASSWORD, randomIp())).statusCode).toBe(200);
  });

  it('blocks an address after 20 failures across emails', async () => {
    const ip = randomIp();
    for (let i = 0; i < 20; i++) {
      expect((await loginAs(`nobody-${i}-${crypto.randomUUID()}@example.test`, 'wrong password', ip)).statusCode).toBe(401);
    }
    const { agent } = await agentWithPassword();
    const blocked = await loginAs(agent.email, PASSWORD, ip);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['retry-after']).toBeDefined();
  });

  it('counts only failures: a successful login resets the email bucket and does not use up the address', async () => {
    const { agent } = await agentWithPassword();
    const ip = randomIp();
    for (let i = 0; i < 4; i++) expect((await loginAs(agent.email, 'wrong password', ip)).statusCode).toBe(401);
    expect((await loginAs(agent.email, PASSWORD, ip)).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) expect((await loginAs(agent.email, 'wrong password', ip)).statusCode).toBe(401);
    expect((await loginAs(agent.email, PASSWORD, ip)).statusCode).toBe(200);
    // 8 failures and 2 successes from this address: the successes were taken back.
    const { db } = await getTestContext();
    const hits = await db.selectFrom('rate_limit_hits').select('hits').where('bucket', '=', `login:ip:${ip}`).execute();
    expect(hits.reduce((n, h) => n + h.hits, 0)).toBe(8);
  });
});

describe('sessions, CSRF and API tokens', () => {
  it('requires X-CSRF-Token on unsafe requests with a cookie, but not on safe ones', async () => {
    const app = await getTestApp();
    const agent = await createAgent(await createWorkspace());
    const cookieOnly = { cookie: agent.headers.cookie! };
    const missing = await app.inject({ method: 'PUT', url: '/api/v1/me/presence', headers: cookieOnly, payload: { presence: 'away' } });
    expect(missing.statusCode).toBe(403);
    expect(missing.json<ErrorResponse>().error.code).toBe('auth.csrf_failed');
    const wrong = await app.inject({
      method: 'PUT',
      url: '/api/v1/me/presence',
      headers: { ...cookieOnly, 'x-csrf-token': 'x'.repeat(43) },
      payload: { presence: 'away' },
    });
    expect(wrong.statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/v1/me', headers: cookieOnly })).statusCode).toBe(200);
    const ok = await app.inject({ method: 'PUT', url: '/api/v1/me/presence', headers: agent.headers, payload: { presence: 'away' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json<AgentView>().presence).toBe('away');
  });

  it('accepts bearer tokens without CSRF and reports no CSRF token for them', async () => {
    const app = await getTestApp();
    const agent = await createAgent(await createWorkspace());
    const res = await app.inject({
      method: 'PUT',
      url: '/api/v1/me/presence',
      headers: agent.tokenHeaders,
      payload: { presence: 'online' },
    });
    expect(res.statusCode).toBe(200);
    const session = await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: agent.tokenHeaders });
    expect(session.statusCode).toBe(200);
    expect(session.json<SessionView>().csrf_token).toBeNull();
    expect(session.json<SessionView>().agent.id).toBe(agent.id);
  });

  it('answers 401 without credentials and for a malformed or unknown bearer token', async () => {
    const app = await getTestApp();
    expect((await app.inject({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
    const bad = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: 'Bearer btn_nope' } });
    expect(bad.statusCode).toBe(401);
    expect(bad.json<ErrorResponse>().error.code).toBe('auth.invalid_token');
  });

  it('logout deletes the session and clears the cookie', async () => {
    const { agent } = await agentWithPassword();
    const app = await getTestApp();
    const login = await loginAs(agent.email, PASSWORD, randomIp());
    const headers = { cookie: sessionCookie(login), 'x-csrf-token': login.json<SessionView>().csrf_token ?? '' };
    const logout = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers });
    expect(logout.statusCode).toBe(204);
    expect(logout.body).toBe('');
    expect(String(logout.headers['set-cookie'])).toMatch(/^baton_session=;.*Expires=Thu, 01 Jan 1970/);
    const after = await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers });
    expect(after.statusCode).toBe(401);
    // The agent's other session (from the factory) still exists, so presence stays as it was.
    const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: agent.headers });
    expect(me.json<AgentView>().presence).toBe('online');
  });

  it('logout of the last session sets the agent offline', async () => {
    const app = await getTestApp();
    const agent = await createAgent(await createWorkspace(), { presence: 'online' });
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: agent.headers })).statusCode).toBe(204);
    const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: agent.tokenHeaders });
    expect(me.json<AgentView>().presence).toBe('offline');
  });
});
