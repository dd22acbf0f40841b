import { Type, type TSchema } from 'typebox';
import type { AppContext } from '../../../context.js';
import { agentOf } from '../../../http/authenticate.js';
import { Closed, Page, PageQuery, Uuid } from '../../../http/schemas.js';
import type { ApiApp } from '../../../http/server.js';
import { BILLING_CONNECTORS } from '../schema.js';
import { receiveStripeWebhook } from './receive-webhook.js';
import { getStripeSettings, setBillingConnector, updateStripeSettings } from './settings.js';
import { listWebhookEvents } from './webhook-events.js';
import { retryWebhookEvent } from './webhook-retry.js';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const tags = ['billing'];
const WEBHOOK_STATUSES = ['received', 'processed', 'ignored', 'failed'] as const;
/** Stripe events are a few KB; anything near this limit is not from Stripe. */
export const STRIPE_WEBHOOK_BODY_LIMIT = 512 * 1024;

const StripeSettingsSchema = Type.Object({
  connector: Type.Enum([...BILLING_CONNECTORS]),
  api_key: Type.Object({ set: Type.Boolean(), last4: Nullable(Type.String()), readable: Type.Boolean() }),
  webhook_secrets: Type.Array(Type.Object({ last4: Type.String() })),
  api_base: Nullable(Type.String()),
  webhook_url: Type.String(),
  updated_at: Nullable(Type.String({ format: 'date-time' })),
});

const WebhookEventSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  provider: Type.Literal('stripe'),
  event_id: Type.String(),
  type: Type.String(),
  status: Type.Enum([...WEBHOOK_STATUSES]),
  error: Nullable(Type.String()),
  event_created_at: Type.String({ format: 'date-time' }),
  received_at: Type.String({ format: 'date-time' }),
  processed_at: Nullable(Type.String({ format: 'date-time' })),
});

const ApiKey = Type.String({
  minLength: 12,
  maxLength: 255,
  pattern: '^(sk|rk)_(test|live)_[A-Za-z0-9_]+$',
  description: 'Secret (sk_) or restricted (rk_) key; write-only, stored encrypted',
});
const WebhookSecret = Type.String({ minLength: 14, maxLength: 255, pattern: '^whsec_[A-Za-z0-9+/=_-]+$' });

export function stripeRoutes(app: ApiApp, ctx: AppContext): void {
  app.get(
    '/billing/settings/stripe',
    {
      schema: {
        tags,
        summary: 'Stripe settings (admin): which secrets are set (last 4 characters) and the webhook URL',
        response: { 200: StripeSettingsSchema },
      },
    },
    async (request) => getStripeSettings(ctx, ctx.db, agentOf(request)),
  );

  app.put(
    '/billing/settings/stripe',
    {
      schema: {
        tags,
        summary: 'Change the Stripe settings (admin); omitted fields stay, api_key null removes the key',
        body: Closed(
          {
            api_key: Type.Optional(Nullable(ApiKey)),
            webhook_secrets: Type.Optional(
              Type.Array(WebhookSecret, {
                maxItems: 3,
                description: 'Replaces the list: during a rotation list the old and the new secret; [] removes them',
              }),
            ),
            api_base: Type.Optional(
              Nullable(
                Type.String({
                  minLength: 8,
                  maxLength: 200,
                  description: 'Origin of the Stripe API (tests, proxies); null = api.stripe.com',
                }),
              ),
            ),
          },
          { minProperties: 1 },
        ),
        response: { 200: StripeSettingsSchema },
      },
    },
    async (request) =>
      updateStripeSettings(ctx, ctx.db, agentOf(request), {
        apiKey: request.body.api_key,
        webhookSecrets: request.body.webhook_secrets,
        apiBase: request.body.api_base,
      }),
  );

  app.put(
    '/billing/settings/connector',
    {
      schema: {
        tags,
        summary: 'Choose the billing connector (admin): ledger (Baton records only) or stripe (needs an API key)',
        body: Closed({ connector: Type.Enum([...BILLING_CONNECTORS]) }),
        response: { 200: StripeSettingsSchema },
      },
    },
    async (request) => setBillingConnector(ctx, ctx.db, agentOf(request), request.body.connector),
  );

  app.get(
    '/billing/webhook-events',
    {
      schema: {
        tags,
        summary: 'Received payment processor events, newest first (admin); failed ones carry the reason',
        querystring: Closed({ status: Type.Optional(Type.Enum([...WEBHOOK_STATUSES])), ...PageQuery }),
        response: { 200: Page(WebhookEventSchema) },
      },
    },
    async (request) => listWebhookEvents(ctx.db, agentOf(request), request.query),
  );

  app.post(
    '/billing/webhook-events/:id/retry',
    {
      schema: {
        tags,
        summary:
          'Apply a failed payment processor event again (admin): processed when it applies now, otherwise still failed with the new reason; 409 when the event is not failed',
        params: Closed({ id: Uuid }),
        response: { 200: WebhookEventSchema },
      },
    },
    async (request) => retryWebhookEvent(ctx, agentOf(request), request.params.id),
  );

  // The webhook needs the exact bytes Stripe signed: in this scope only, JSON stays a Buffer.
  void app.register(async (scope) => {
    const raw = scope as unknown as ApiApp;
    raw.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: STRIPE_WEBHOOK_BODY_LIMIT }, (_request, body, done) => {
      done(null, body);
    });
    raw.post(
      '/webhooks/stripe/:workspaceId',
      {
        config: { access: 'public' },
        bodyLimit: STRIPE_WEBHOOK_BODY_LIMIT,
        schema: {
          tags,
          summary: 'Stripe webhook endpoint (signed with a webhook secret of the workspace; replays are answered duplicate)',
          params: Closed({ workspaceId: Type.String({ maxLength: 64 }) }),
          response: {
            200: Type.Object({
              received: Type.Literal(true),
              duplicate: Type.Boolean(),
              status: Type.Optional(Type.Enum(['processed', 'ignored', 'failed'])),
            }),
          },
        },
      },
      async (request) => {
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const signature = request.headers['stripe-signature'];
        return receiveStripeWebhook(ctx, request.params.workspaceId, body, typeof signature === 'string' ? signature : undefined);
      },
    );
  });
}
