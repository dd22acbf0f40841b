import { beforeAll, describe, expect, it } from 'vitest';
import { createAgent, createTeam, createWorkspace } from '../../../test/factories.js';
import { getTestApp, getTestContext } from '../../../test/harness.js';

// Building the test server takes a while: do it outside the tests' time limit.
beforeAll(async () => {
  await getTestApp();
});

const on = { enabled: true, subject: null, body: null };
const off = { enabled: false, subject: null, body: null };

async function admin() {
  const ws = await createWorkspace();
  return { ws, admin: await createAgent(ws, { role: 'admin' }) };
}

describe('outreach settings API', () => {
  it('starts off with the built-in texts in English and German', async () => {
    const app = await getTestApp();
    const { admin: a } = await admin();
    const res = await app.inject({ method: 'GET', url: '/api/v1/billing/settings/outreach', headers: a.headers });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.payment_failed).toEqual(off);
    expect(body.dispute_opened).toEqual(off);
    expect(body.placeholders).toEqual(['customer_name', 'case_number', 'amount', 'failure_reason', 'invoice_number', 'due_date']);
    expect(body.defaults.payment_failed.en.subject).toBe('Your payment of {{amount}} failed');
    expect(body.defaults.payment_failed.de.subject).toBe('Ihre Zahlung über {{amount}} ist fehlgeschlagen');
  });

  it('replaces the settings, audits the change and keeps the other columns of the row', async () => {
    const app = await getTestApp();
    const { db } = await getTestContext();
    const { ws, admin: a } = await admin();
    await db.insertInto('billing_settings').values({ workspace_id: ws.id, connector: 'stripe' }).execute();
    const payload = {
      payment_failed: { enabled: true, subject: 'Payment {{amount}} failed', body: 'Hi {{customer_name}}' },
      dispute_opened: on,
    };
    const res = await app.inject({ method: 'PUT', url: '/api/v1/billing/settings/outreach', headers: a.headers, payload });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().payment_failed).toEqual(payload.payment_failed);

    const again = await app.inject({ method: 'GET', url: '/api/v1/billing/settings/outreach', headers: a.tokenHeaders });
    expect(again.json().dispute_opened).toEqual(on);
    const row = await db
      .selectFrom('billing_settings')
      .select(['connector', 'outreach'])
      .where('workspace_id', '=', ws.id)
      .executeTakeFirstOrThrow();
    expect(row.connector).toBe('stripe');
    const audit = await db.selectFrom('audit_log').select(['action', 'actor_id']).where('workspace_id', '=', ws.id).execute();
    expect(audit).toContainEqual({ action: 'billing.outreach_settings_updated', actor_id: a.id });
  });

  it('refuses unknown placeholders, unknown fields, missing parts and overlong texts', async () => {
    const app = await getTestApp();
    const { admin: a } = await admin();
    const put = (payload: unknown) =>
      app.inject({ method: 'PUT', url: '/api/v1/billing/settings/outreach', headers: a.headers, payload: payload as object });

    const unknown = await put({ payment_failed: { enabled: true, subject: 'Hi {{card_number}}', body: null }, dispute_opened: off });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toMatchObject({
      code: 'billing.outreach_unknown_placeholder',
      details: { field: 'payment_failed.subject', placeholders: ['card_number'] },
    });

    expect((await put({ payment_failed: on, dispute_opened: off, refund: on })).statusCode).toBe(400);
    expect((await put({ payment_failed: on })).statusCode).toBe(400);
    expect((await put({ payment_failed: { enabled: true, subject: 'x'.repeat(301), body: null }, dispute_opened: off })).statusCode).toBe(
      400,
    );
    expect((await put({ payment_failed: { enabled: 'yes', subject: null, body: null }, dispute_opened: off })).statusCode).toBe(400);
  });

  it('is for admins only', async () => {
    const app = await getTestApp();
    const ws = await createWorkspace();
    const supervisor = await createAgent(ws, { role: 'supervisor' });
    expect((await app.inject({ method: 'GET', url: '/api/v1/billing/settings/outreach', headers: supervisor.headers })).statusCode).toBe(
      403,
    );
    const put = await app.inject({
      method: 'PUT',
      url: '/api/v1/billing/settings/outreach',
      headers: supervisor.headers,
      payload: { payment_failed: on, dispute_opened: on },
    });
    expect(put.statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/v1/billing/settings/triage', headers: supervisor.headers })).statusCode).toBe(403);
  });
});

describe('triage settings API', () => {
  const triage = (routes: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
    enabled: true,
    failed_payment_days: 14,
    refund_days: 60,
    routes,
    ...extra,
  });

  it('defaults to on, 30 days, no routes', async () => {
    const app = await getTestApp();
    const { admin: a } = await admin();
    const res = await app.inject({ method: 'GET', url: '/api/v1/billing/settings/triage', headers: a.headers });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ enabled: true, failed_payment_days: 30, refund_days: 30, routes: {} });
  });

  it('stores routes to a team and a queue of that team, audited, next to the outreach settings', async () => {
    const app = await getTestApp();
    const { db } = await getTestContext();
    const { ws, admin: a } = await admin();
    const team = await createTeam(ws, { queues: [{ name: 'Payments', categories: ['payment'] }] });
    await app.inject({
      method: 'PUT',
      url: '/api/v1/billing/settings/outreach',
      headers: a.headers,
      payload: { payment_failed: on, dispute_opened: off },
    });

    const payload = triage({ failed_payment: { team_id: team.id, queue_id: team.queues[0]!.id }, open_dispute: { team_id: team.id } });
    const res = await app.inject({ method: 'PUT', url: '/api/v1/billing/settings/triage', headers: a.headers, payload });
    expect(res.statusCode, res.body).toBe(200);
    const expected = {
      enabled: true,
      failed_payment_days: 14,
      refund_days: 60,
      routes: { failed_payment: { team_id: team.id, queue_id: team.queues[0]!.id }, open_dispute: { team_id: team.id, queue_id: null } },
    };
    expect(res.json()).toEqual(expected);
    expect((await app.inject({ method: 'GET', url: '/api/v1/billing/settings/triage', headers: a.headers })).json()).toEqual(expected);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/billing/settings/outreach', headers: a.headers })).json().payment_failed,
    ).toEqual(on);
    const audit = await db.selectFrom('audit_log').select('action').where('workspace_id', '=', ws.id).execute();
    expect(audit.map((r) => r.action)).toContain('billing.triage_settings_updated');
  });

  it('refuses another workspace’s team, a queue of another team, bad days and unknown signals', async () => {
    const app = await getTestApp();
    const { ws, admin: a } = await admin();
    const otherWs = await createWorkspace();
    const foreign = await createTeam(otherWs);
    const team = await createTeam(ws);
    const otherTeam = await createTeam(ws, { queues: [{ name: 'Elsewhere' }] });
    const put = (payload: unknown) =>
      app.inject({ method: 'PUT', url: '/api/v1/billing/settings/triage', headers: a.headers, payload: payload as object });

    const unknownTeam = await put(triage({ failed_payment: { team_id: foreign.id } }));
    expect(unknownTeam.statusCode).toBe(422);
    expect(unknownTeam.json().error).toMatchObject({
      code: 'billing.triage_unknown_team',
      details: { field: 'routes.failed_payment.team_id' },
    });

    const wrongQueue = await put(triage({ recent_refund: { team_id: team.id, queue_id: otherTeam.queues[0]!.id } }));
    expect(wrongQueue.statusCode).toBe(422);
    expect(wrongQueue.json().error).toMatchObject({
      code: 'billing.triage_unknown_queue',
      details: { field: 'routes.recent_refund.queue_id' },
    });

    expect((await put(triage({}, { failed_payment_days: 0 }))).statusCode).toBe(400);
    expect((await put(triage({}, { refund_days: 366 }))).statusCode).toBe(400);
    expect((await put(triage({ late_payment: { team_id: team.id } }))).statusCode).toBe(400);
    expect((await put(triage({ failed_payment: { team_id: 'not-a-uuid' } }))).statusCode).toBe(400);
    expect((await put({ enabled: true })).statusCode).toBe(400);
  });
});
