import crypto from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAgent, createWorkspace, unique } from '../../test/factories.js';
import { getTestApp, getTestContext } from '../../test/harness.js';
import type { AgentView, SessionView } from './views.js';

type Invited = { agent: AgentView; invite_url: string };

type ErrorResponse = { error: { code: string; message: string; details?: Record<string, unknown> } };

// Starting the server (and loading the database) is slow on a busy machine: not part of any test's time.
beforeAll(async () => {
  await getTestApp();
});

const randomIp = () => `10.${crypto.randomInt(256)}.${crypto.randomInt(256)}.${crypto.randomInt(1, 255)}`;

async function invite(
  admin: { headers: Record<string, string> },
  payload: Record<string, unknown>,
  extraHeaders: Record<string, string> = {},
) {
  const app = await getTestApp();
  return app.inject({ method: 'POST', url: '/api/v1/agents/invitations', headers: { ...admin.headers, ...extraHeaders }, payload });
}

async function accept(token: string, password: string) {
  const app = await getTestApp();
  return app.inject({ method: 'POST', url: '/api/v1/auth/accept-invitation', payload: { token, password }, remoteAddress: randomIp() });
}

const tokenOf = (inviteUrl: string) => new URL(inviteUrl).searchParams.get('token')!;

describe('invitations', () => {
  it('invites an agent, who accepts, sets a password and is signed in', async () => {
    const { db } = await getTestContext();
    const app = await getTestApp();
    const workspace = await createWorkspace();
    const admin = await createAgent(workspace, { role: 'admin' });
    const email = `${unique('new')}@Example.test`;
    const res = await invite(admin, { email, name: 'Nadia New', role: 'supervisor' });
    expect(res.statusCode).toBe(201);
    const body = res.json<Invited>();
    expect(body.agent).toMatchObject({ email: email.toLowerCase(), name: 'Nadia New', role: 'supervisor', status: 'invited' });
    expect(body.invite_url).toMatch(/^http:\/\/127\.0\.0\.1:3000\/app\/accept-invite\?token=[A-Za-z0-9_-]{43}$/);
    const token = tokenOf(body.invite_url);

    // Stored hashed, expiring in 7 days; audited.
    const invitation = await db.selectFrom('agent_invitations').selectAll().where('agent_id', '=', body.agent.id).executeTakeFirstOrThrow();
    expect(invitation.token_hash).not.toContain(token);
    expect(invitation.expires_at.getTime() - Date.now()).toBeGreaterThan(6.9 * 24 * 3600 * 1000);
    expect(invitation.created_by).toBe(admin.id);
    const audit = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('workspace_id', '=', workspace.id)
      .where('action', '=', 'agent.invited')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: admin.id, target_id: body.agent.id });

    // An invited agent cannot sign in yet.
    const early = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: 'a good long password' },
      remoteAddress: randomIp(),
    });
    expect(early.statusCode).toBe(401);

    const accepted = await accept(token, 'a good long password');
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json<SessionView>().agent).toMatchObject({ id: body.agent.id, status: 'active', role: 'supervisor' });
    expect(accepted.json<SessionView>().workspace.id).toBe(workspace.id);
    const cookie = accepted.cookies.find((c) => c.name === 'baton_session')!;
    expect(cookie.httpOnly).toBe(true);
    const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: `baton_session=${cookie.value}` } });
    expect(me.json<AgentView>().id).toBe(body.agent.id);

    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: 'a good long password' },
      remoteAddress: randomIp(),
    });
    expect(login.statusCode).toBe(200);

    // The token works once.
    const again = await accept(token, 'another long password');
    expect(again.statusCode).toBe(404);
    expect(again.json<ErrorResponse>().error.code).toBe('invitation.not_found');
  });

  it('answers 410 for an expired invitation and 404 for a forged one', async () => {
    const { db } = await getTestContext();
    const admin = await createAgent(await createWorkspace(), { role: 'admin' });
    const res = await invite(admin, { email: `${unique('late')}@example.test`, name: 'Late', role: 'agent' });
    await db
      .updateTable('agent_invitations')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('agent_id', '=', res.json<Invited>().agent.id)
      .execute();
    const expired = await accept(tokenOf(res.json<Invited>().invite_url), 'a good long password');
    expect(expired.statusCode).toBe(410);
    expect(expired.json<ErrorResponse>().error.code).toBe('invitation.expired');

    const forged = await accept(crypto.randomBytes(32).toString('base64url'), 'a good long password');
    expect(forged.statusCode).toBe(404);
    expect(forged.json<ErrorResponse>().error.code).toBe('invitation.not_found');
    expect((await accept('short', 'a good long password')).statusCode).toBe(404);
  });

  it('refuses a too-short password on acceptance and keeps the invitation usable', async () => {
    const admin = await createAgent(await createWorkspace(), { role: 'admin' });
    const res = await invite(admin, { email: `${unique('pw')}@example.test`, name: 'Pw', role: 'agent' });
    const token = tokenOf(res.json<Invited>().invite_url);
    const short = await accept(token, 'too short');
    expect(short.statusCode).toBe(400);
    expect(short.json<ErrorResponse>().error.details?.fields).toContainEqual({
      field: 'password',
      problem: 'must be at least 10 characters',
    });
    expect((await accept(token, 'x'.repeat(201))).statusCode).toBe(400);
    expect((await accept(token, 'long enough now')).statusCode).toBe(200);
  });

  it('cancels the invitation when the invited agent is deactivated', async () => {
    const app = await getTestApp();
    const admin = await createAgent(await createWorkspace(), { role: 'admin' });
    const res = await invite(admin, { email: `${unique('gone')}@example.test`, name: 'Gone', role: 'agent' });
    const patch = await app.inject({
      method: 'PATCH',
      url: `/api/v1/agents/${res.json<Invited>().agent.id}`,
      headers: admin.headers,
      payload: { status: 'deactivated' },
    });
    expect(patch.statusCode).toBe(200);
    expect((await accept(tokenOf(res.json<Invited>().invite_url), 'a good long password')).statusCode).toBe(404);
  });

  it('refuses an email that is taken, in any workspace and any case', async () => {
    const admin = await createAgent(await createWorkspace(), { role: 'admin' });
    const elsewhere = await createAgent(await createWorkspace());
    const res = await invite(admin, { email: elsewhere.email.toUpperCase(), name: 'Copy', role: 'agent' });
    expect(res.statusCode).toBe(409);
    expect(res.json<ErrorResponse>().error.code).toBe('agent.email_taken');
  });

  it('is for admins only, and validates its input', async () => {
    const workspace = await createWorkspace();
    const supervisor = await createAgent(workspace, { role: 'supervisor' });
    const admin = await createAgent(workspace, { role: 'admin' });
    const denied = await invite(supervisor, { email: `${unique('x')}@example.test`, name: 'X', role: 'agent' });
    expect(denied.statusCode).toBe(403);
    expect(denied.json<ErrorResponse>().error.code).toBe('auth.forbidden');
    expect((await invite(admin, { email: 'not-an-email', name: 'X', role: 'agent' })).statusCode).toBe(400);
    expect((await invite(admin, { email: `${unique('x')}@example.test`, name: 'X', role: 'owner' })).statusCode).toBe(400);
    expect((await invite(admin, { email: `${unique('x')}@example.test`, name: 'x'.repeat(201), role: 'agent' })).statusCode).toBe(400);
    expect((await invite(admin, { email: `${unique('x')}@example.test`, name: '   ', role: 'agent' })).statusCode).toBe(400);
    expect((await invite(admin, { email: `${unique('x')}@example.test`, name: 'X', role: 'agent', password: 'x' })).statusCode).toBe(400);
  });

  it('replays an Idempotency-Key with the same agent and without the secret', async () => {
    const admin = await createAgent(await createWorkspace(), { role: 'admin' });
    const payload = { email: `${unique('idem')}@example.test`, name: 'Idem', role: 'agent' };
    const key = { 'idempotency-key': unique('key') };
    const first = await invite(admin, payload, key);
    const second = await invite(admin, payload, key);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json<Invited>().agent.id).toBe(first.json<Invited>().agent.id);
    expect(first.json<Invited>().invite_url).toContain('token=');
    expect(second.json<Invited>().invite_url).toBeNull();
    const { db } = await getTestContext();
    const stored = await db
      .selectFrom('idempotency_keys')
      .select('response')
      .where('key', '=', key['idempotency-key'])
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(stored.response)).not.toContain(tokenOf(first.json<Invited>().invite_url));
  });
});
