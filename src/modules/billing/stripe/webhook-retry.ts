import type Stripe from 'stripe';
import type { AppContext } from '../../../context.js';
import { inTransaction } from '../../../db/database.js';
import { systemActor, type Actor } from '../../../platform/actor.js';
import { recordAudit } from '../../../platform/audit.js';
import { AppError, conflict } from '../../../platform/errors.js';
import { loadStripeCredentials } from './credentials.js';
import { lookUpEventCustomers } from './customer-lookup.js';
import { applyStoredEvent } from './receive-webhook.js';
import { authorizeWebhookEvents, webhookEventView, type WebhookEventView } from './webhook-events.js';
import { selectWebhookEvent } from './webhook-store.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const eventNotFound = () =>
  new AppError('not_found', 'billing.webhook_event_not_found', 'This webhook event does not exist or you may not see it');
const notFailed = (status: string) =>
  conflict('billing.webhook_event_not_failed', `Only a failed event can be retried (this one is ${status})`, { status });

/**
 * An admin re-applies a stored event that failed (a customer linked since, an API key added, a
 * bug fixed), in one transaction as the webhook would: applied -> `processed` (or `ignored`),
 * refused again -> still `failed` with the new reason. The row is locked, so two retries at once
 * apply it once (the second gets 409). The event's own time still guards against older data.
 */
export async function retryWebhookEvent(
  ctx: Pick<AppContext, 'db' | 'secret' | 'logger'>,
  actor: Actor,
  id: string,
): Promise<WebhookEventView> {
  authorizeWebhookEvents(actor);
  if (!UUID.test(id)) throw eventNotFound();
  const row = await selectWebhookEvent(ctx.db, actor, id);
  if (!row) throw eventNotFound();
  if (row.status !== 'failed') throw notFailed(row.status);
  const event = row.payload as unknown as Stripe.Event;
  const credentials = await loadStripeCredentials(ctx.db, ctx.secret, actor.workspaceId);
  // As on delivery: the Stripe customer the event needs is fetched before any row is locked.
  const lookups = await lookUpEventCustomers(
    ctx.db,
    actor.workspaceId,
    { apiKey: credentials?.apiKey ?? null, apiBase: credentials?.apiBase ?? null },
    event,
  );
  return inTransaction(ctx.db, async (tx) => {
    const locked = await selectWebhookEvent(tx, actor, id, { lock: true });
    if (!locked) throw eventNotFound();
    if (locked.status !== 'failed') throw notFailed(locked.status);
    const status = await applyStoredEvent(ctx, tx, systemActor(actor.workspaceId, 'stripe webhook'), id, event, lookups);
    const after = (await selectWebhookEvent(tx, actor, id))!;
    await recordAudit(tx, actor, {
      action: 'billing.webhook_event_retried',
      targetType: 'billing_webhook_event',
      targetId: id,
      details: { event_id: after.event_id, type: after.type, status, previous_error: locked.error, error: after.error },
    });
    return webhookEventView(after);
  });
}
