import crypto from 'node:crypto';
import Stripe from 'stripe';
import { createAgent, createWorkspace, type TestAgent, type TestWorkspace } from '../../../../test/factories.js';
import { getTestApp } from '../../../../test/harness.js';

export const newWebhookSecret = () => `whsec_${crypto.randomBytes(24).toString('base64url')}`;
export const newApiKey = () => `sk_test_${crypto.randomBytes(16).toString('hex')}`;

export interface StripeWorld {
  workspace: TestWorkspace;
  admin: TestAgent;
  secret: string;
}

export async function putStripeSettings(admin: TestAgent, payload: object) {
  const app = await getTestApp();
  return app.inject({ method: 'PUT', url: '/api/v1/billing/settings/stripe', headers: admin.headers, payload });
}

/** A workspace whose Stripe webhook accepts `secret`. */
export async function stripeWorld(extraSecrets: string[] = []): Promise<StripeWorld> {
  const workspace = await createWorkspace();
  const admin = await createAgent(workspace, { role: 'admin' });
  const secret = newWebhookSecret();
  const res = await putStripeSettings(admin, { webhook_secrets: [secret, ...extraSecrets] });
  if (res.statusCode !== 200) throw new Error(`settings: ${res.statusCode} ${res.body}`);
  return { workspace, admin, secret };
}

export function signedHeader(payload: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): string {
  return Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
}

export async function deliver(
  workspaceId: string,
  event: object | string,
  options: { secret?: string; timestamp?: number; header?: string | null; contentType?: string } = {},
) {
  const app = await getTestApp();
  const payload = typeof event === 'string' ? event : JSON.stringify(event, null, 2);
  const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/json; charset=utf-8' };
  if (options.header !== null) headers['stripe-signature'] = options.header ?? signedHeader(payload, options.secret!, options.timestamp);
  return app.inject({ method: 'POST', url: `/api/v1/webhooks/stripe/${workspaceId}`, headers, payload });
}
