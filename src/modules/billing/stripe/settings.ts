import type { AppContext } from '../../../context.js';
import { inTransaction, type Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { recordAudit } from '../../../platform/audit.js';
import { authorize } from '../../../platform/authorization.js';
import { unprocessable, validationError } from '../../../platform/errors.js';
import type { BillingConnectorName } from '../schema.js';
import { openStripeApiKey, openWebhookSecrets, sealStripeApiKey, sealWebhookSecret } from './credentials.js';
import { selectProcessorSettings, upsertProcessorSettings, type ProcessorSettingsRow } from './settings-store.js';

/** Processor settings of a workspace (admin, `billing.manage`); secrets are write-only. */
export interface StripeSettingsView {
  connector: BillingConnectorName;
  /** `readable: false`: stored, but it no longer decrypts (instance secret replaced): enter it again. */
  api_key: { set: boolean; last4: string | null; readable: boolean };
  webhook_secrets: { last4: string }[];
  api_base: string | null;
  /** Paste into Stripe (Developers > Webhooks) as the endpoint URL. */
  webhook_url: string;
  updated_at: string | null;
}

export interface StripeSettingsInput {
  apiKey?: string | null | undefined;
  webhookSecrets?: string[] | undefined;
  apiBase?: string | null | undefined;
}

type SettingsContext = Pick<AppContext, 'secret' | 'config'>;

const settingsOf = (actor: Actor) => ({ workspaceId: actor.workspaceId, type: 'billing_settings' });
const last4 = (value: string) => value.slice(-4);

export function stripeWebhookUrl(publicUrl: string, workspaceId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/api/v1/webhooks/stripe/${workspaceId}`;
}

function view(ctx: SettingsContext, actor: Actor, row: ProcessorSettingsRow | undefined): StripeSettingsView {
  const apiKey = row?.stripe_api_key_enc ? openStripeApiKey(ctx.secret, actor.workspaceId, row.stripe_api_key_enc) : null;
  return {
    connector: row?.connector ?? 'ledger',
    api_key: {
      set: Boolean(row?.stripe_api_key_enc),
      last4: apiKey === null ? null : last4(apiKey),
      readable: !row?.stripe_api_key_enc || apiKey !== null,
    },
    webhook_secrets: openWebhookSecrets(ctx.secret, actor.workspaceId, row?.stripe_webhook_secrets_enc ?? []).map((s) => ({
      last4: last4(s),
    })),
    api_base: row?.stripe_api_base ?? null,
    webhook_url: stripeWebhookUrl(ctx.config.publicUrl, actor.workspaceId),
    updated_at: row ? row.updated_at.toISOString() : null,
  };
}

export async function getStripeSettings(ctx: SettingsContext, db: Db, actor: Actor): Promise<StripeSettingsView> {
  authorize(actor, 'billing.manage', settingsOf(actor));
  return view(ctx, actor, await selectProcessorSettings(db, actor));
}

/**
 * Only an origin (scheme, host, port): the Stripe client takes host/port/protocol, so a path
 * would silently be dropped. For a local Stripe mock in tests or an egress proxy.
 */
export function normalizeApiBase(value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw validationError('billing.invalid_api_base', 'api_base must be an absolute http(s) URL', { field: 'api_base' });
  }
  if (
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    url.username ||
    url.password ||
    (url.pathname !== '/' && url.pathname !== '') ||
    url.search ||
    url.hash
  ) {
    throw validationError(
      'billing.invalid_api_base',
      'api_base must be a scheme, host and optional port, without path, query or credentials',
      {
        field: 'api_base',
      },
    );
  }
  return url.origin;
}

export async function updateStripeSettings(
  ctx: SettingsContext,
  db: Db,
  actor: Actor,
  input: StripeSettingsInput,
): Promise<StripeSettingsView> {
  authorize(actor, 'billing.manage', settingsOf(actor));
  const apiBase = input.apiBase === undefined || input.apiBase === null ? input.apiBase : normalizeApiBase(input.apiBase);
  const secrets = input.webhookSecrets?.map((s) => s.trim());
  if (secrets && new Set(secrets).size !== secrets.length) {
    throw validationError('billing.duplicate_webhook_secret', 'The same webhook secret is listed twice', { field: 'webhook_secrets' });
  }
  return inTransaction(db, async (tx) => {
    const before = await selectProcessorSettings(tx, actor, { lock: true });
    if (input.apiKey === null && before?.connector === 'stripe') {
      throw unprocessable(
        'billing.stripe_key_required',
        'The Stripe connector is in use: switch the connector to ledger before removing the API key',
        {
          field: 'api_key',
        },
      );
    }
    await upsertProcessorSettings(tx, actor, {
      ...(input.apiKey !== undefined
        ? { stripe_api_key_enc: input.apiKey === null ? null : sealStripeApiKey(ctx.secret, actor.workspaceId, input.apiKey.trim()) }
        : {}),
      ...(secrets !== undefined
        ? { stripe_webhook_secrets_enc: secrets.map((s) => sealWebhookSecret(ctx.secret, actor.workspaceId, s)) }
        : {}),
      ...(apiBase !== undefined ? { stripe_api_base: apiBase } : {}),
    });
    // Never the secrets themselves: what changed, and the last 4 characters an admin can recognise.
    await recordAudit(tx, actor, {
      action: 'billing.stripe_settings_updated',
      targetType: 'billing_settings',
      targetId: actor.workspaceId,
      details: {
        api_key: input.apiKey === undefined ? 'unchanged' : input.apiKey === null ? 'removed' : `set (…${last4(input.apiKey.trim())})`,
        webhook_secrets: secrets === undefined ? 'unchanged' : secrets.map((s) => `…${last4(s)}`),
        api_base: apiBase === undefined ? 'unchanged' : apiBase,
      },
    });
    return view(ctx, actor, await selectProcessorSettings(tx, actor));
  });
}

export async function setBillingConnector(
  ctx: SettingsContext,
  db: Db,
  actor: Actor,
  connector: BillingConnectorName,
): Promise<StripeSettingsView> {
  authorize(actor, 'billing.manage', settingsOf(actor));
  return inTransaction(db, async (tx) => {
    const before = await selectProcessorSettings(tx, actor, { lock: true });
    if (connector === 'stripe' && !before?.stripe_api_key_enc) {
      throw unprocessable('billing.stripe_key_required', 'Enter a Stripe API key before switching to the Stripe connector', {
        field: 'connector',
      });
    }
    if (connector === 'stripe' && openStripeApiKey(ctx.secret, actor.workspaceId, before!.stripe_api_key_enc!) === null) {
      throw unprocessable('billing.stripe_key_unreadable', 'The stored Stripe API key cannot be decrypted; enter it again', {
        field: 'connector',
      });
    }
    const previous = before?.connector ?? 'ledger';
    await upsertProcessorSettings(tx, actor, { connector });
    if (previous !== connector) {
      await recordAudit(tx, actor, {
        action: 'billing.connector_changed',
        targetType: 'billing_settings',
        targetId: actor.workspaceId,
        details: { from: previous, to: connector },
      });
    }
    return view(ctx, actor, await selectProcessorSettings(tx, actor));
  });
}
