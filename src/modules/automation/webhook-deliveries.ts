import type { Selectable } from 'kysely';
import type { Db } from '../../db/database.js';
import { decodeCursor, pageOf } from '../../http/pagination.js';
import type { Actor } from '../../platform/actor.js';
import { authorize, workspaceScope } from '../../platform/authorization.js';
import type { AutomationWebhookDeliveriesTable, RuleKind } from './schema.js';

/** The webhook delivery log: one append-only row per attempt (CONVENTIONS.md, outbound webhooks). */

type DeliveryRow = Selectable<AutomationWebhookDeliveriesTable>;

export interface DeliveryAttempt {
  workspaceId: string;
  ruleKind: RuleKind;
  ruleId: string;
  caseId: string | null;
  deliveryId: string;
  url: string;
  outcome: 'delivered' | 'failed' | 'given_up';
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** How many attempts of this delivery were made before. */
export async function previousAttempts(db: Db, deliveryId: string): Promise<number> {
  const row = await db
    .selectFrom('automation_webhook_deliveries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('delivery_id', '=', deliveryId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function recordDeliveryAttempt(db: Db, attempt: DeliveryAttempt & { attempt: number }): Promise<void> {
  await db
    .insertInto('automation_webhook_deliveries')
    .values({
      workspace_id: attempt.workspaceId,
      rule_kind: attempt.ruleKind,
      rule_id: attempt.ruleId,
      case_id: attempt.caseId,
      delivery_id: attempt.deliveryId,
      url: attempt.url,
      attempt: attempt.attempt,
      outcome: attempt.outcome,
      status_code: attempt.statusCode,
      error: attempt.error?.slice(0, 500) ?? null,
      duration_ms: attempt.durationMs,
    })
    .execute();
}

export interface DeliveryView {
  id: string;
  delivery_id: string;
  case_id: string | null;
  url: string;
  attempt: number;
  outcome: 'delivered' | 'failed' | 'given_up';
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  created_at: string;
}

const view = (row: DeliveryRow): DeliveryView => ({
  id: String(row.id),
  delivery_id: row.delivery_id,
  case_id: row.case_id,
  url: row.url,
  attempt: row.attempt,
  outcome: row.outcome,
  status_code: row.status_code,
  error: row.error,
  duration_ms: row.duration_ms,
  created_at: row.created_at.toISOString(),
});

/** A rule's delivery attempts, newest first (the caller has checked the rule is visible). */
export async function listRuleDeliveries(
  db: Db,
  actor: Actor,
  kind: RuleKind,
  ruleId: string,
  query: { limit?: number | undefined; cursor?: string | undefined },
): Promise<{ data: DeliveryView[]; next_cursor: string | null }> {
  authorize(actor, 'automation.read', { workspaceId: workspaceScope(actor), type: kind });
  const limit = query.limit ?? 25;
  const after = decodeCursor(query.cursor, ['number']) as [number] | undefined;
  let q = db
    .selectFrom('automation_webhook_deliveries')
    .selectAll()
    .where('workspace_id', '=', workspaceScope(actor))
    .where('rule_kind', '=', kind)
    .where('rule_id', '=', ruleId);
  if (after) q = q.where('id', '<', after[0]);
  const rows = await q
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const page = pageOf(rows, limit, (r) => [Number(r.id)]);
  return { data: page.data.map(view), next_cursor: page.next_cursor };
}
