import { inTransaction, type Db } from '../../db/database.js';
import { decodeCursor, pageOf } from '../../http/pagination.js';
import { actorRef, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { authorize, workspaceScope } from '../../platform/authorization.js';
import { conflict, unprocessable } from '../../platform/errors.js';
import { withIdempotency, type IdempotencyRequest } from '../../platform/idempotency.js';
import { checkRuleReferences } from './rule-references.js';
import { checkRuleActions, checkRuleConditions, type RuleAction } from './rule-schema.js';
import type { CreateTriggerInput, TriggerView, UpdateTriggerInput } from './trigger-schemas.js';
import {
  deleteTriggerRow,
  getTriggerRow,
  insertTrigger,
  listTriggerRows,
  lockTriggerIds,
  setTriggerPositions,
  triggerNameTaken,
  triggerResource,
  updateTriggerRow,
  type TriggerFields,
  type TriggerRow,
} from './trigger-store.js';
import { listRuleDeliveries, type DeliveryView } from './webhook-deliveries.js';
import { createWebhookSecret, deleteWebhookSecret, rulesWithWebhookSecret } from './webhook-secrets.js';

/**
 * Triggers (admin CRUD, agents read): rules run in position order when a case event happens
 * (trigger-listener.ts). A trigger calling a webhook gets a signing secret, shown once in the
 * answer that created it (or rotated it: `rotate_webhook_secret`).
 */

const nameTaken = () =>
  conflict('automation.trigger_name_taken', 'A trigger with this name already exists', {
    field: 'name',
    fields: [{ field: 'name', problem: 'Name taken' }],
  });
const stale = (current: number) =>
  conflict('automation.stale_version', 'Someone changed this trigger since you loaded it; reload and try again', {
    current_version: current,
  });

export function triggerView(row: TriggerRow, secretSet: boolean, webhookSecret?: string): TriggerView {
  const actions = (row.actions as RuleAction[]).map((a) => (a.type === 'webhook' ? { ...a, secret_set: secretSet } : a));
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    enabled: row.enabled,
    position: row.position,
    events: row.events,
    conditions: row.conditions,
    actions,
    ...(webhookSecret ? { webhook_secret: webhookSecret } : {}),
    version: row.version,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

async function views(db: Db, actor: Actor, rows: TriggerRow[]): Promise<TriggerView[]> {
  const withSecret = await rulesWithWebhookSecret(
    db,
    actor,
    'trigger',
    rows.map((r) => r.id),
  );
  return rows.map((row) => triggerView(row, withSecret.has(row.id)));
}

function fieldsOf(input: CreateTriggerInput): TriggerFields {
  return {
    name: input.name.trim(),
    description: input.description ?? '',
    enabled: input.enabled ?? true,
    events: input.events,
    conditions: checkRuleConditions(input.conditions ?? { all: [], any: [] }, { forEvents: true }),
    actions: checkRuleActions(input.actions),
  };
}

const hasWebhook = (fields: TriggerFields) => fields.actions.some((a) => a.type === 'webhook');

export async function listTriggers(
  db: Db,
  actor: Actor,
  query: { limit?: number | undefined; cursor?: string | undefined },
): Promise<{ data: TriggerView[]; next_cursor: string | null }> {
  const limit = query.limit ?? 100;
  const after = decodeCursor(query.cursor, ['number', 'string']) as [number, string] | undefined;
  const page = pageOf(await listTriggerRows(db, actor, { limit, after }), limit, (r) => [r.position, r.id]);
  return { data: await views(db, actor, page.data), next_cursor: page.next_cursor };
}

export async function getTrigger(db: Db, actor: Actor, id: string): Promise<TriggerView> {
  const [view] = await views(db, actor, [await getTriggerRow(db, actor, id, 'automation.read')]);
  return view!;
}

export async function createTrigger(
  db: Db,
  instanceSecret: string,
  actor: Actor,
  input: CreateTriggerInput,
  idempotency: IdempotencyRequest = { key: undefined, requestHash: '' },
): Promise<{ statusCode: number; body: TriggerView }> {
  authorize(actor, 'automation.manage', triggerResource(workspaceScope(actor)));
  const fields = fieldsOf(input);
  const ref = actorRef(actor);
  let secret: string | undefined;
  const result = await withIdempotency(
    db,
    { workspaceId: workspaceScope(actor), principal: `${ref.actor_type}:${ref.actor_id ?? 'baton'}`, ...idempotency },
    async (tx) => {
      if (await triggerNameTaken(tx, actor, fields.name)) throw nameTaken();
      await checkRuleReferences(tx, actor, fields);
      const row = await insertTrigger(tx, actor, fields);
      if (hasWebhook(fields)) secret = await createWebhookSecret(instanceSecret, tx, actor, 'trigger', row.id);
      await recordAudit(tx, actor, {
        action: 'automation.trigger_created',
        targetType: 'trigger',
        targetId: row.id,
        details: { name: row.name },
      });
      return { statusCode: 201, body: triggerView(row, secret !== undefined) };
    },
  );
  // The secret is added after the idempotency record is written: it is never stored in plain text,
  // and a replay of the create answers without it (it is shown once).
  return { statusCode: result.statusCode, body: !result.replayed && secret ? { ...result.body, webhook_secret: secret } : result.body };
}

export async function updateTrigger(
  db: Db,
  instanceSecret: string,
  actor: Actor,
  id: string,
  patch: UpdateTriggerInput,
): Promise<TriggerView> {
  return inTransaction(db, async (tx) => {
    const current = await getTriggerRow(tx, actor, id, 'automation.manage', { forUpdate: true });
    if (current.version !== patch.version) throw stale(current.version);
    const fields = fieldsOf({
      name: patch.name ?? current.name,
      description: patch.description ?? current.description,
      enabled: patch.enabled ?? current.enabled,
      events: patch.events ?? current.events,
      conditions: patch.conditions ?? current.conditions,
      actions: patch.actions ?? (current.actions as RuleAction[]),
    });
    if (fields.name !== current.name && (await triggerNameTaken(tx, actor, fields.name, id))) throw nameTaken();
    if (patch.actions)
      await checkRuleReferences(tx, actor, { actions: fields.actions, ...(patch.conditions ? { conditions: fields.conditions } : {}) });
    else if (patch.conditions) await checkRuleReferences(tx, actor, { conditions: fields.conditions, actions: [] });
    if (patch.rotate_webhook_secret && !hasWebhook(fields)) {
      throw unprocessable('automation.no_webhook', 'This trigger calls no webhook; there is no secret to rotate', {
        field: 'rotate_webhook_secret',
      });
    }
    const row = await updateTriggerRow(tx, actor, id, fields);
    const had = (await rulesWithWebhookSecret(tx, actor, 'trigger', [id])).has(id);
    let secret: string | undefined;
    if (!hasWebhook(fields)) {
      if (had) await deleteWebhookSecret(tx, actor, 'trigger', id);
    } else if (!had || patch.rotate_webhook_secret) {
      secret = await createWebhookSecret(instanceSecret, tx, actor, 'trigger', id);
    }
    await recordAudit(tx, actor, {
      action: 'automation.trigger_updated',
      targetType: 'trigger',
      targetId: id,
      details: { fields: Object.keys(patch).filter((k) => k !== 'version') },
    });
    return triggerView(row, hasWebhook(fields), secret);
  });
}

export async function deleteTrigger(db: Db, actor: Actor, id: string): Promise<void> {
  await inTransaction(db, async (tx) => {
    const row = await getTriggerRow(tx, actor, id, 'automation.manage', { forUpdate: true });
    await deleteTriggerRow(tx, actor, id);
    await deleteWebhookSecret(tx, actor, 'trigger', id);
    await recordAudit(tx, actor, {
      action: 'automation.trigger_deleted',
      targetType: 'trigger',
      targetId: id,
      details: { name: row.name },
    });
  });
}

/** Sets the order triggers run in; the list must name every trigger of the workspace once. */
export async function reorderTriggers(db: Db, actor: Actor, triggerIds: string[]): Promise<{ data: TriggerView[]; next_cursor: null }> {
  authorize(actor, 'automation.manage', triggerResource(workspaceScope(actor)));
  return inTransaction(db, async (tx) => {
    const existing = new Set(await lockTriggerIds(tx, actor));
    const given = triggerIds.map((id) => id.toLowerCase());
    const unknown = given.filter((id) => !existing.has(id));
    const missing = [...existing].filter((id) => !given.includes(id));
    if (unknown.length > 0 || missing.length > 0) {
      throw unprocessable('automation.order_mismatch', 'The order must name every trigger of the workspace exactly once', {
        field: 'trigger_ids',
        unknown_ids: unknown,
        missing_ids: missing,
      });
    }
    await setTriggerPositions(tx, actor, given);
    await recordAudit(tx, actor, {
      action: 'automation.triggers_reordered',
      targetType: 'trigger',
      targetId: null,
      details: { trigger_ids: given },
    });
    const rows = await listTriggerRows(tx, actor, { limit: 500 });
    return { data: await views(tx, actor, rows), next_cursor: null };
  });
}

/** The webhook delivery attempts of a trigger, newest first. */
export async function listTriggerDeliveries(
  db: Db,
  actor: Actor,
  id: string,
  query: { limit?: number | undefined; cursor?: string | undefined },
): Promise<{ data: DeliveryView[]; next_cursor: string | null }> {
  const row = await getTriggerRow(db, actor, id, 'automation.read');
  return listRuleDeliveries(db, actor, 'trigger', row.id, query);
}
