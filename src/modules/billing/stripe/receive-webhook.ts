import { sql } from 'kysely';
import type Stripe from 'stripe';
import type { AppContext } from '../../../context.js';
import { inTransaction, type Db } from '../../../db/database.js';
import { systemActor, type Actor } from '../../../platform/actor.js';
import { AppError, notFound } from '../../../platform/errors.js';
import type { JsonObject } from '../../../platform/schema.js';
import type { WebhookEventStatus } from '../schema.js';
import { applyStripeEvent } from './apply-event.js';
import { loadStripeCredentials } from './credentials.js';
import { lookUpEventCustomers, type StripeEventLookups } from './customer-lookup.js';
import { UnusableStripeEvent } from './link-customer.js';
import { verifyStripeEvent } from './webhook-verify.js';
import { finishWebhookEvent, insertWebhookEvent } from './webhook-store.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Serialization failures and deadlocks: worth Stripe's retry, so the transaction fails (500). */
const TRANSIENT_SQLSTATES = new Set(['40001', '40P01']);

export interface WebhookReceipt {
  received: true;
  duplicate: boolean;
  status?: Exclude<WebhookEventStatus, 'received'>;
}

function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (TRANSIENT_SQLSTATES.has(code) || code.startsWith('08') || code.startsWith('57'));
}

function failureMessage(error: unknown): string {
  if (error instanceof UnusableStripeEvent) return error.message;
  if (error instanceof AppError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * A Stripe webhook delivery: verified over the raw body against the workspace's secrets, stored
 * once per event id (a replay answers `duplicate` and does nothing), and applied in the same
 * transaction. An event Baton cannot use (no customer to attach it to, a record rule refusing it)
 * is kept as `failed` with the reason and answered 200, so Stripe does not retry it for days; an
 * admin sees it in the webhook event list and can retry it (webhook-retry.ts). Stripe unreachable
 * while looking up the event's customer answers 503: Stripe delivers the event again later.
 */
export async function receiveStripeWebhook(
  ctx: Pick<AppContext, 'db' | 'secret' | 'logger'>,
  workspaceId: string,
  rawBody: Buffer,
  signature: string | undefined,
): Promise<WebhookReceipt> {
  if (!UUID.test(workspaceId)) throw notFound('webhook_endpoint');
  const credentials = await loadStripeCredentials(ctx.db, ctx.secret, workspaceId);
  if (!credentials || credentials.webhookSecrets.length === 0) throw notFound('webhook_endpoint');
  const event = verifyStripeEvent(rawBody, signature, credentials.webhookSecrets);
  const actor = systemActor(workspaceId, 'stripe webhook');
  // Network calls (a Stripe customer the event needs) happen before any row is locked.
  const lookups = await lookUpEventCustomers(ctx.db, workspaceId, credentials, event);

  return inTransaction(ctx.db, async (tx) => {
    const stored = await insertWebhookEvent(tx, actor, {
      eventId: event.id,
      type: event.type,
      createdAt: new Date(event.created * 1000),
      payload: event as unknown as JsonObject,
    });
    if (!stored) return { received: true, duplicate: true };
    const status = await applyStoredEvent(ctx, tx, actor, stored, event, lookups);
    return { received: true, duplicate: false, status };
  });
}

/**
 * Applies a stored event (first delivery or an admin's retry) inside the caller's transaction and
 * records the outcome on its row. A failed application is undone to a savepoint, so the stored
 * event survives with its error; transient database errors propagate (the caller's transaction fails).
 */
export async function applyStoredEvent(
  ctx: Pick<AppContext, 'logger'>,
  tx: Db,
  actor: Actor,
  storedId: string,
  event: Stripe.Event,
  lookups: StripeEventLookups,
): Promise<Exclude<WebhookEventStatus, 'received'>> {
  await sql`savepoint stripe_event`.execute(tx);
  try {
    const status = await applyStripeEvent(tx, actor, event, lookups);
    await sql`release savepoint stripe_event`.execute(tx);
    await finishWebhookEvent(tx, actor, storedId, { status });
    return status;
  } catch (error) {
    if (isTransient(error)) throw error;
    await sql`rollback to savepoint stripe_event`.execute(tx);
    const message = failureMessage(error);
    const where = { workspaceId: actor.workspaceId, eventId: event.id, type: event.type };
    if (!(error instanceof UnusableStripeEvent) && !(error instanceof AppError)) {
      ctx.logger.error({ err: error, ...where }, 'stripe webhook event could not be applied');
    } else {
      ctx.logger.warn({ ...where, reason: message }, 'stripe webhook event not applied');
    }
    await finishWebhookEvent(tx, actor, storedId, { status: 'failed', error: message });
    return 'failed';
  }
}
