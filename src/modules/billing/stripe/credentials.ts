import type { Db } from '../../../db/database.js';
import { systemActor } from '../../../platform/actor.js';
import { openSealedSecret, sealSecret, SealedSecretUnreadableError, type SealContext } from '../../../platform/sealed-secret.js';
import type { BillingConnectorName } from '../schema.js';
import { selectProcessorSettings } from './settings-store.js';

/**
 * Stripe credentials at rest, sealed with the instance secret (platform/sealed-secret.ts). The
 * workspace id is the associated data: a value copied into another workspace's row does not open.
 */
const apiKeyContext = (workspaceId: string): SealContext => ({
  purpose: 'billing.stripe_api_key',
  associatedData: `billing_settings:${workspaceId}`,
});
const webhookSecretContext = (workspaceId: string): SealContext => ({
  purpose: 'billing.stripe_webhook_secret',
  associatedData: `billing_settings:${workspaceId}`,
});

export const sealStripeApiKey = (secret: string, workspaceId: string, apiKey: string) =>
  sealSecret(secret, apiKeyContext(workspaceId), apiKey);
export const sealWebhookSecret = (secret: string, workspaceId: string, value: string) =>
  sealSecret(secret, webhookSecretContext(workspaceId), value);

/** null when the value no longer opens (instance secret replaced): the admin enters it again. */
export function openStripeApiKey(secret: string, workspaceId: string, sealed: string): string | null {
  try {
    return openSealedSecret(secret, apiKeyContext(workspaceId), sealed);
  } catch (error) {
    if (error instanceof SealedSecretUnreadableError) return null;
    throw error;
  }
}

export function openWebhookSecrets(secret: string, workspaceId: string, sealed: readonly string[]): string[] {
  const opened: string[] = [];
  for (const value of sealed) {
    try {
      opened.push(openSealedSecret(secret, webhookSecretContext(workspaceId), value));
    } catch (error) {
      if (!(error instanceof SealedSecretUnreadableError)) throw error;
    }
  }
  return opened;
}

export interface StripeCredentials {
  connector: BillingConnectorName;
  apiKey: string | null;
  webhookSecrets: string[];
  apiBase: string | null;
}

/**
 * What the connector and the webhook need, read as Baton itself (the webhook has no signed-in
 * agent; the connector is called by jobs). undefined: the workspace has no billing settings row.
 */
export async function loadStripeCredentials(db: Db, secret: string, workspaceId: string): Promise<StripeCredentials | undefined> {
  const row = await selectProcessorSettings(db, systemActor(workspaceId, 'stripe credentials'));
  if (!row) return undefined;
  return {
    connector: row.connector,
    apiKey: row.stripe_api_key_enc === null ? null : openStripeApiKey(secret, workspaceId, row.stripe_api_key_enc),
    webhookSecrets: openWebhookSecrets(secret, workspaceId, row.stripe_webhook_secrets_enc),
    apiBase: row.stripe_api_base,
  };
}
