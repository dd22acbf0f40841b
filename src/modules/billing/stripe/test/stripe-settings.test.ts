import { beforeAll, describe, expect, it } from 'vitest';
import { createAgent, createWorkspace } from '../../../../test/factories.js';
import { getTestApp, getTestContext } from '../../../../test/harness.js';
import type { StripeSettingsView } from '../settings.js';
import { newApiKey, newWebhookSecret, putStripeSettings } from './webhook-support.js';

beforeAll(async () => {
  await getTestApp();
});

async function adminWorld() {
  const workspace = await createWorkspace();
  return { workspace, admin: await createAgent(workspace, { role: 'admin' }) };
}

async function getSettings(headers: Record<string, string>) {
  const app = await getTestApp();
  return app.inject({ method: 'GET', url: '/api/v1/billing/settings/stripe', headers });
}

async function putConnector(headers: Record<string, string>, connector: string) {
  const app = await getTestApp();
  return app.inject({ method: 'PUT', url: '/api/v1/billing/settings/connector', headers, payload: { connector } });
}

describe('Stripe settings API', () => {
  it('starts on the ledger connector with nothing set and shows the webhook URL', async () => {
    const { workspace, admin } = await adminWorld();
    const res = await getSettings(admin.headers);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      connector: 'ledger',
      api_key: { set: false, last4: null, readable: true },
      webhook_secrets: [],
      api_base: null,
      webhook_url: `http://127.0.0.1:3000/api/v1/webhooks/stripe/${workspace.id}`,
      updated_at: null,
    });
  });

  it('stores the key and secrets encrypted, shows only their last 4 characters and audits without them', async () => {
    const { db } = await getTestContext();
    const { workspace, admin } = await adminWorld();
    const apiKey = newApiKey();
    const [oldSecret, newSecret] = [newWebhookSecret(), newWebhookSecret()];
    const res = await putStripeSettings(admin, {
      api_key: apiKey,
      webhook_secrets: [oldSecret, newSecret],
      api_base: 'http://127.0.0.1:12111/',
    });
    expect(res.statusCode).toBe(200);
    const view = res.json<StripeSettingsView>();
    expect(view).toMatchObject({
      connector: 'ledger',
      api_key: { set: true, last4: apiKey.slice(-4), readable: true },
      webhook_secrets: [{ last4: oldSecret.slice(-4) }, { last4: newSecret.slice(-4) }],
      api_base: 'http://127.0.0.1:12111',
    });
    expect(res.body).not.toContain(apiKey);
    expect(res.body).not.toContain(oldSecret);

    const row = await db.selectFrom('billing_settings').selectAll().where('workspace_id', '=', workspace.id).executeTakeFirstOrThrow();
    expect(row.stripe_api_key_enc).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain(apiKey.slice(8));
    expect(JSON.stringify(row)).not.toContain(oldSecret.slice(6));
    expect(row.stripe_webhook_secrets_enc).toHaveLength(2);

    const audit = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('workspace_id', '=', workspace.id)
      .where('action', '=', 'billing.stripe_settings_updated')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_id).toBe(admin.id);
    expect(JSON.stringify(audit[0]!.details)).not.toContain(apiKey.slice(8));
    expect(audit[0]!.details).toMatchObject({ api_key: `set (…${apiKey.slice(-4)})`, api_base: 'http://127.0.0.1:12111' });

    // Omitted fields stay; the secrets list is replaced as a whole (rotation: drop the old one).
    const rotated = await putStripeSettings(admin, { webhook_secrets: [newSecret] });
    expect(rotated.json<StripeSettingsView>()).toMatchObject({ api_key: { set: true }, webhook_secrets: [{ last4: newSecret.slice(-4) }] });
  });

  it('refuses bad input: key format, more than 3 secrets, duplicates, an api_base with a path, unknown fields, empty body', async () => {
    const { admin } = await adminWorld();
    const cases: [object, number, string][] = [
      [{ api_key: 'pk_test_publishable123' }, 400, 'validation_failed'],
      [{ webhook_secrets: ['not-a-secret-value'] }, 400, 'validation_failed'],
      [{ webhook_secrets: [newWebhookSecret(), newWebhookSecret(), newWebhookSecret(), newWebhookSecret()] }, 400, 'validation_failed'],
      [{ api_base: 'http://127.0.0.1:1234/v1' }, 400, 'billing.invalid_api_base'],
      [{ api_base: 'ftp://example.test' }, 400, 'billing.invalid_api_base'],
      [{ api_base: 'https://user:pw@example.test' }, 400, 'billing.invalid_api_base'],
      [{ api_base: 'not a url at all' }, 400, 'billing.invalid_api_base'],
      [{ other: 1 }, 400, 'validation_failed'],
      [{}, 400, 'validation_failed'],
    ];
    const duplicate = newWebhookSecret();
    cases.push([{ webhook_secrets: [duplicate, duplicate] }, 400, 'billing.duplicate_webhook_secret']);
    for (const [payload, status, code] of cases) {
      const res = await putStripeSettings(admin, payload);
      expect({ payload, status: res.statusCode, code: res.json().error?.code }).toEqual({ payload, status, code });
    }
  });

  it('switches to Stripe only with an API key, and keeps the key while Stripe is in use', async () => {
    const { db } = await getTestContext();
    const { workspace, admin } = await adminWorld();
    const refused = await putConnector(admin.headers, 'stripe');
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('billing.stripe_key_required');
    expect((await putConnector(admin.headers, 'paypal')).statusCode).toBe(400);

    await putStripeSettings(admin, { api_key: newApiKey() });
    const switched = await putConnector(admin.headers, 'stripe');
    expect(switched.statusCode).toBe(200);
    expect(switched.json().connector).toBe('stripe');

    const removal = await putStripeSettings(admin, { api_key: null });
    expect(removal.statusCode).toBe(422);
    expect(removal.json().error.code).toBe('billing.stripe_key_required');

    expect((await putConnector(admin.headers, 'ledger')).json().connector).toBe('ledger');
    const removed = await putStripeSettings(admin, { api_key: null });
    expect(removed.json().api_key).toEqual({ set: false, last4: null, readable: true });

    const changes = await db
      .selectFrom('audit_log')
      .select('details')
      .where('workspace_id', '=', workspace.id)
      .where('action', '=', 'billing.connector_changed')
      .orderBy('id')
      .execute();
    expect(changes.map((c) => c.details)).toEqual([
      { from: 'ledger', to: 'stripe' },
      { from: 'stripe', to: 'ledger' },
    ]);
  });

  it('is for admins only: agents and supervisors get 403, other workspaces see their own settings', async () => {
    const { workspace, admin } = await adminWorld();
    await putStripeSettings(admin, { api_key: newApiKey() });
    for (const role of ['agent', 'supervisor'] as const) {
      const agent = await createAgent(workspace, { role });
      expect((await getSettings(agent.headers)).statusCode).toBe(403);
      expect((await putStripeSettings(agent, { api_key: newApiKey() })).statusCode).toBe(403);
      expect((await putConnector(agent.headers, 'ledger')).statusCode).toBe(403);
    }
    const other = await adminWorld();
    expect((await getSettings(other.admin.tokenHeaders)).json().api_key.set).toBe(false);
    const app = await getTestApp();
    expect((await app.inject({ method: 'GET', url: '/api/v1/billing/settings/stripe' })).statusCode).toBe(401);
  });
});
