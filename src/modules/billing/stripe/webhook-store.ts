import { sql } from 'kysely';
import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import type { JsonObject } from '../../../platform/schema.js';
import type { WebhookEventStatus } from '../schema.js';

/** SQL of billing_webhook_events; callers authorize, every query is scoped by workspace. */

export interface WebhookEventRow {
  id: string;
  event_id: string;
  type: string;
  event_created_at: Date;
  status: WebhookEventStatus;
  error: string | null;
  received_at: Date;
  processed_at: Date | null;
  /** received_at in microseconds: the cursor key (a JS Date keeps only milliseconds). */
  received_us: number;
}

const receivedUs = sql<number>`(extract(epoch from received_at) * 1000000)::bigint`;

const COLUMNS = ['id', 'event_id', 'type', 'event_created_at', 'status', 'error', 'received_at', 'processed_at'] as const;

/** Stores the event once: undefined when this event id was already received (a replay). */
export async function insertWebhookEvent(
  tx: Db,
  actor: Actor,
  event: { eventId: string; type: string; createdAt: Date; payload: JsonObject },
): Promise<string | undefined> {
  const row = await tx
    .insertInto('billing_webhook_events')
    .values({
      workspace_id: actor.workspaceId,
      provider: 'stripe',
      event_id: event.eventId,
      type: event.type,
      event_created_at: event.createdAt,
      payload: JSON.stringify(event.payload),
    })
    .onConflict((oc) => oc.columns(['workspace_id', 'provider', 'event_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function finishWebhookEvent(
  tx: Db,
  actor: Actor,
  id: string,
  outcome: { status: Exclude<WebhookEventStatus, 'received'>; error?: string | null },
): Promise<void> {
  await tx
    .updateTable('billing_webhook_events')
    .set({ status: outcome.status, error: outcome.error?.slice(0, 2000) ?? null, processed_at: sql`now()` })
    .where('workspace_id', '=', actor.workspaceId)
    .where('id', '=', id)
    .execute();
}

/** One stored event with its payload (locked for a retry); undefined when not of this workspace. */
export async function selectWebhookEvent(
  db: Db,
  actor: Actor,
  id: string,
  options: { lock?: boolean } = {},
): Promise<(WebhookEventRow & { payload: JsonObject }) | undefined> {
  let query = db
    .selectFrom('billing_webhook_events')
    .select([...COLUMNS, receivedUs.as('received_us'), 'payload'])
    .where('workspace_id', '=', actor.workspaceId)
    .where('provider', '=', 'stripe')
    .where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

/** Newest first; keyset on (received_at, id). */
export async function selectWebhookEvents(
  db: Db,
  actor: Actor,
  query: { status?: WebhookEventStatus | undefined; limit: number; after?: { receivedUs: number; id: string } | undefined },
): Promise<WebhookEventRow[]> {
  let q = db
    .selectFrom('billing_webhook_events')
    .select([...COLUMNS, receivedUs.as('received_us')])
    .where('workspace_id', '=', actor.workspaceId)
    .where('provider', '=', 'stripe');
  if (query.status) q = q.where('status', '=', query.status);
  if (query.after) {
    const { receivedUs: us, id } = query.after;
    q = q.where((eb) => eb.or([eb(receivedUs, '<', us), eb.and([eb(receivedUs, '=', us), eb('id', '<', id)])]));
  }
  return q
    .orderBy(receivedUs, 'desc')
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute();
}
