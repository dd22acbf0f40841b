import type { AppContext } from '../../../context.js';
import { inTransaction, type Db } from '../../../db/database.js';
import { decodeCursor, pageOf } from '../../../http/pagination.js';
import { actorRef, type Actor } from '../../../platform/actor.js';
import { recordAudit } from '../../../platform/audit.js';
import { authorize, workspaceScope } from '../../../platform/authorization.js';
import { conflict, unprocessable } from '../../../platform/errors.js';
import { withIdempotency, type IdempotencyRequest } from '../../../platform/idempotency.js';
import { checkRuleReferences } from '../rule-references.js';
import type { RuleAction } from '../rule-schema.js';
import { createWebhookSecret, deleteWebhookSecret, rulesWithWebhookSecret } from '../webhook-secrets.js';
import { scheduledActionsOf, scheduledConditionsOf } from './rule-input.js';
import type { CreateScheduledInput, ScheduledView, UpdateScheduledInput } from './rule-schemas.js';
import {
  deleteScheduledRow,
  getScheduledRow,
  insertScheduled,
  listScheduledRows,
  lockScheduledIds,
  scheduledNameTaken,
  scheduledResource,
  setScheduledPositions,
  updateScheduledRow,
  type ScheduledFields,
  type ScheduledRow,
} from './store.js';

/**
 * Scheduled automations (admins manage, agents read). Every change is audited; a PATCH names the
 * version it read (409 when stale) and starts the rule's case scan from the beginning.
 */

const nameTaken = () =>
  conflict('automation.name_taken', 'A scheduled automation with this name already exists', {
    fields: [{ field: 'name', problem: 'already taken' }],
  });
const staleVersion = (current: number) =>
  conflict('automation.stale_version', 'Someone changed this automation since you loaded it; reload and try again', {
    current_version: current,
  });

export function scheduledView(row: ScheduledRow, withSecret: ReadonlySet<string> = new Set()): ScheduledView {
  const actions = row.actions.map((a): RuleAction => (a.type === 'webhook' ? { ...a, secret_set: withSecret.has(row.id) } : a));
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    enabled: row.enabled,
    position: row.position,
    conditions: row.conditions,
    actions,
    version: row.version,
    last_run_at: row.last_run_at?.toISOString() ?? null,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

const hasWebhook = (actions: RuleAction[]) => actions.some((a) => a.type === 'webhook');

/** What the commands need: the database, and the instance secret that seals webhook secrets. */
export type ScheduledDeps = Pick<AppContext, 'db'> & { secret?: string | undefined };

/** A rule that just got a webhook action gets its signing secret, returned once. */
async function viewWithSecret(deps: ScheduledDeps, tx: Db, actor: Actor, row: ScheduledRow, rotate = false): Promise<ScheduledView> {
  let secrets = await rulesWithWebhookSecret(tx, actor, 'automation', [row.id]);
  let secret: string | undefined;
  if (hasWebhook(row.actions) && (rotate || !secrets.has(row.id))) {
    if (!deps.secret) throw new Error('scheduled automations: a webhook action needs the instance secret');
    secret = await createWebhookSecret(deps.secret, tx, actor, 'automation', row.id);
    secrets = new Set([row.id]);
  }
  return { ...scheduledView(row, secrets), ...(secret ? { webhook_secret: secret } : {}) };
}

function fieldsOf(input: CreateScheduledInput): ScheduledFields {
  return {
    name: input.name.trim(),
    description: input.description?.trim() ?? '',
    enabled: input.enabled ?? true,
    conditions: scheduledConditionsOf(input.conditions),
    actions: scheduledActionsOf(input.actions),
  };
}

export async function listScheduled(
  db: Db,
  actor: Actor,
  query: { limit?: number | undefined; cursor?: string | undefined },
): Promise<{ data: ScheduledView[]; next_cursor: string | null }> {
  const limit = query.limit ?? 100;
  const after = decodeCursor(query.cursor, ['number', 'string']) as [number, string] | undefined;
  const page = pageOf(await listScheduledRows(db, actor, { limit, after }), limit, (r) => [r.position, r.id]);
  const secrets = await rulesWithWebhookSecret(
    db,
    actor,
    'automation',
    page.data.filter((r) => hasWebhook(r.actions)).map((r) => r.id),
  );
  return { data: page.data.map((r) => scheduledView(r, secrets)), next_cursor: page.next_cursor };
}

export async function getScheduled(db: Db, actor: Actor, id: string): Promise<ScheduledView> {
  const row = await getScheduledRow(db, actor, id, 'automation.read');
  return scheduledView(row, await rulesWithWebhookSecret(db, actor, 'automation', [row.id]));
}

export async function createScheduled(
  ctx: ScheduledDeps,
  actor: Actor,
  input: CreateScheduledInput,
  idempotency: IdempotencyRequest = { key: undefined, requestHash: '' },
): Promise<{ statusCode: number; body: ScheduledView }> {
  authorize(actor, 'automation.manage', scheduledResource(workspaceScope(actor)));
  const fields = fieldsOf(input);
  const ref = actorRef(actor);
  return withIdempotency(
    ctx.db,
    { workspaceId: workspaceScope(actor), principal: `${ref.actor_type}:${ref.actor_id ?? 'baton'}`, ...idempotency },
    async (tx) => {
      if (await scheduledNameTaken(tx, actor, fields.name)) throw nameTaken();
      await checkRuleReferences(tx, actor, { conditions: fields.conditions, actions: fields.actions });
      const row = await insertScheduled(tx, actor, fields);
      await recordAudit(tx, actor, {
        action: 'automation.scheduled_created',
        targetType: 'automation',
        targetId: row.id,
        details: { name: row.name, enabled: row.enabled },
      });
      return { statusCode: 201, body: await viewWithSecret(ctx, tx, actor, row) };
    },
  );
}

export async function updateScheduled(ctx: ScheduledDeps, actor: Actor, id: string, patch: UpdateScheduledInput): Promise<ScheduledView> {
  return inTransaction(ctx.db, async (tx) => {
    const current = await getScheduledRow(tx, actor, id, 'automation.manage', { lock: 'update' });
    if (current.version !== patch.version) throw staleVersion(current.version);
    const fields: ScheduledFields = {
      name: patch.name?.trim() ?? current.name,
      description: patch.description?.trim() ?? current.description,
      enabled: patch.enabled ?? current.enabled,
      conditions: patch.conditions ? scheduledConditionsOf(patch.conditions) : current.conditions,
      actions: patch.actions ? scheduledActionsOf(patch.actions) : current.actions,
    };
    if (fields.name.toLowerCase() !== current.name.toLowerCase() && (await scheduledNameTaken(tx, actor, fields.name, current.id))) {
      throw nameTaken();
    }
    if (patch.conditions || patch.actions) {
      await checkRuleReferences(tx, actor, {
        conditions: patch.conditions ? fields.conditions : { all: [], any: [] },
        actions: patch.actions ? fields.actions : [],
      });
    }
    if (patch.rotate_webhook_secret && !hasWebhook(fields.actions)) {
      throw unprocessable('automation.no_webhook', 'This automation calls no webhook; there is no secret to rotate', {
        fields: [{ field: 'rotate_webhook_secret', problem: 'no webhook action' }],
      });
    }
    const row = await updateScheduledRow(tx, actor, current.id, fields);
    await recordAudit(tx, actor, {
      action: 'automation.scheduled_updated',
      targetType: 'automation',
      targetId: row.id,
      details: { fields: Object.keys(patch).filter((k) => k !== 'version') },
    });
    return viewWithSecret(ctx, tx, actor, row, patch.rotate_webhook_secret === true);
  });
}

/** Deletes a rule; its record of acted-on cases and its webhook secret go with it. */
export async function deleteScheduled(db: Db, actor: Actor, id: string): Promise<void> {
  await inTransaction(db, async (tx) => {
    const row = await getScheduledRow(tx, actor, id, 'automation.manage', { lock: 'update' });
    await deleteScheduledRow(tx, actor, row.id);
    await deleteWebhookSecret(tx, actor, 'automation', row.id);
    await recordAudit(tx, actor, {
      action: 'automation.scheduled_deleted',
      targetType: 'automation',
      targetId: row.id,
      details: { name: row.name },
    });
  });
}

/** Sets the run order; the list must name every scheduled automation of the workspace once. */
export async function reorderScheduled(db: Db, actor: Actor, ids: string[]): Promise<{ data: ScheduledView[]; next_cursor: null }> {
  authorize(actor, 'automation.manage', scheduledResource(workspaceScope(actor)));
  return inTransaction(db, async (tx) => {
    const existing = new Set(await lockScheduledIds(tx, actor));
    const given = ids.map((id) => id.toLowerCase());
    const unknown = given.filter((id) => !existing.has(id));
    const missing = [...existing].filter((id) => !given.includes(id));
    if (unknown.length > 0 || missing.length > 0) {
      throw unprocessable('automation.order_mismatch', 'The order must name every scheduled automation of the workspace exactly once', {
        fields: [{ field: 'automation_ids', problem: 'must name every scheduled automation exactly once' }],
        unknown_ids: unknown,
        missing_ids: missing,
      });
    }
    await setScheduledPositions(tx, actor, given);
    await recordAudit(tx, actor, {
      action: 'automation.scheduled_reordered',
      targetType: 'automation',
      targetId: null,
      details: { automation_ids: given },
    });
    const rows = await listScheduledRows(tx, actor, { limit: 500 });
    const secrets = await rulesWithWebhookSecret(
      tx,
      actor,
      'automation',
      rows.slice(0, 500).map((r) => r.id),
    );
    return { data: rows.slice(0, 500).map((r) => scheduledView(r, secrets)), next_cursor: null };
  });
}
