import type { Db } from '../../../db/database.js';
import { decodeCursor, pageOf } from '../../../http/pagination.js';
import type { Actor } from '../../../platform/actor.js';
import { authorize } from '../../../platform/authorization.js';
import type { WebhookEventStatus } from '../schema.js';
import { selectWebhookEvents, type WebhookEventRow } from './webhook-store.js';

export interface WebhookEventView {
  id: string;
  provider: 'stripe';
  event_id: string;
  type: string;
  status: WebhookEventStatus;
  error: string | null;
  event_created_at: string;
  received_at: string;
  processed_at: string | null;
}

export const webhookEventView = (r: WebhookEventRow): WebhookEventView => ({
  id: r.id,
  provider: 'stripe',
  event_id: r.event_id,
  type: r.type,
  status: r.status,
  error: r.error,
  event_created_at: r.event_created_at.toISOString(),
  received_at: r.received_at.toISOString(),
  processed_at: r.processed_at?.toISOString() ?? null,
});

export const authorizeWebhookEvents = (actor: Actor) =>
  authorize(actor, 'billing.manage', { workspaceId: actor.workspaceId, type: 'billing_settings' });

/** Received processor events, newest first (admin): failed ones say why they were not applied. */
export async function listWebhookEvents(
  db: Db,
  actor: Actor,
  query: { status?: WebhookEventStatus | undefined; limit?: number | undefined; cursor?: string | undefined },
): Promise<{ data: WebhookEventView[]; next_cursor: string | null }> {
  authorizeWebhookEvents(actor);
  const limit = query.limit ?? 25;
  const after = decodeCursor(query.cursor, ['number', 'string']);
  const rows = await selectWebhookEvents(db, actor, {
    status: query.status,
    limit,
    after: after ? { receivedUs: after[0] as number, id: after[1] as string } : undefined,
  });
  const page = pageOf(rows, limit, (r) => [r.received_us, r.id]);
  return {
    data: page.data.map(webhookEventView),
    next_cursor: page.next_cursor,
  };
}
