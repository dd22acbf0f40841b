import { inTransaction, type Db } from '../../db/database.js';
import { decodeCursor, pageOf } from '../../http/pagination.js';
import { actorRef, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { authorize, workspaceScope } from '../../platform/authorization.js';
import { conflict, unprocessable } from '../../platform/errors.js';
import { withIdempotency, type IdempotencyRequest } from '../../platform/idempotency.js';
import { checkPolicyReferences, policyFieldsOf } from './policy-input.js';
import type { CreatePolicyInput, PolicyView, UpdatePolicyInput } from './policy-schemas.js';
import {
  deletePolicyRow,
  getPolicyRow,
  insertPolicy,
  listPolicyRows,
  lockPolicyIds,
  policyNameTaken,
  policyResource,
  setPositions,
  updatePolicyRow,
  type PolicyRow,
} from './policy-store.js';

/**
 * SLA policies (admin CRUD, agents read), tried in position order: the first enabled policy whose
 * conditions match a case gives it its targets. Changes apply to cases evaluated afterwards (a
 * new case, or a running case when its priority, category, team, tags or customer change).
 */

const nameTaken = () => conflict('sla.policy_name_taken', 'An SLA policy with this name already exists', { field: 'name' });

export function policyView(row: PolicyRow): PolicyView {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    position: row.position,
    enabled: row.enabled,
    conditions: row.conditions,
    targets: {
      first_reply_minutes: row.first_reply_minutes,
      next_reply_minutes: row.next_reply_minutes,
      resolution_minutes: row.resolution_minutes,
    },
    time_basis: row.time_basis,
    schedule_id: row.schedule_id,
    pause_statuses: row.pause_statuses,
    warning_minutes: row.warning_minutes,
    escalations: row.escalations as unknown as PolicyView['escalations'],
    preset: row.preset,
    version: row.version,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export async function listPolicies(
  db: Db,
  actor: Actor,
  query: { limit?: number | undefined; cursor?: string | undefined },
): Promise<{ data: PolicyView[]; next_cursor: string | null }> {
  const limit = query.limit ?? 100;
  const after = decodeCursor(query.cursor, ['number', 'string']) as [number, string] | undefined;
  const page = pageOf(await listPolicyRows(db, actor, { limit, after }), limit, (r) => [r.position, r.id]);
  return { data: page.data.map(policyView), next_cursor: page.next_cursor };
}

export async function getPolicy(db: Db, actor: Actor, id: string): Promise<PolicyView> {
  return policyView(await getPolicyRow(db, actor, id, 'sla.read'));
}

export async function createPolicy(
  db: Db,
  actor: Actor,
  input: CreatePolicyInput,
  idempotency: IdempotencyRequest = { key: undefined, requestHash: '' },
): Promise<{ statusCode: number; body: PolicyView }> {
  authorize(actor, 'sla.manage', policyResource(workspaceScope(actor)));
  const fields = policyFieldsOf(input);
  const ref = actorRef(actor);
  return withIdempotency(
    db,
    { workspaceId: workspaceScope(actor), principal: `${ref.actor_type}:${ref.actor_id ?? 'baton'}`, ...idempotency },
    async (tx) => {
      if (await policyNameTaken(tx, actor, fields.name)) throw nameTaken();
      await checkPolicyReferences(tx, actor, fields);
      const row = await insertPolicy(tx, actor, fields);
      await recordAudit(tx, actor, {
        action: 'sla.policy_created',
        targetType: 'sla_policy',
        targetId: row.id,
        details: { name: row.name },
      });
      return { statusCode: 201, body: policyView(row) };
    },
  );
}

export async function updatePolicy(db: Db, actor: Actor, id: string, patch: UpdatePolicyInput): Promise<PolicyView> {
  return inTransaction(db, async (tx) => {
    const current = await getPolicyRow(tx, actor, id, 'sla.manage', { forUpdate: true });
    const currentView = policyView(current);
    // A patch replaces whole fields; a calendar patch drops the schedule unless one is given.
    const timeBasis = patch.time_basis ?? current.time_basis;
    const scheduleId = patch.schedule_id !== undefined ? patch.schedule_id : timeBasis === 'calendar' ? null : current.schedule_id;
    const fields = policyFieldsOf({
      name: patch.name ?? current.name,
      description: patch.description ?? current.description,
      enabled: patch.enabled ?? current.enabled,
      conditions: (patch.conditions ?? currentView.conditions) as CreatePolicyInput['conditions'],
      targets: patch.targets ?? currentView.targets,
      time_basis: timeBasis,
      schedule_id: scheduleId,
      pause_statuses: patch.pause_statuses ?? current.pause_statuses,
      warning_minutes: patch.warning_minutes ?? current.warning_minutes,
      escalations: (patch.escalations ?? current.escalations) as CreatePolicyInput['escalations'],
    });
    if (fields.name !== current.name && (await policyNameTaken(tx, actor, fields.name, id))) throw nameTaken();
    await checkPolicyReferences(tx, actor, fields);
    const row = await updatePolicyRow(tx, actor, id, fields);
    await recordAudit(tx, actor, {
      action: 'sla.policy_updated',
      targetType: 'sla_policy',
      targetId: id,
      details: { fields: Object.keys(patch) },
    });
    return policyView(row);
  });
}

/** Deletes a policy; cases it applies to keep their running clocks (a snapshot) until re-evaluated. */
export async function deletePolicy(db: Db, actor: Actor, id: string): Promise<void> {
  await inTransaction(db, async (tx) => {
    const row = await getPolicyRow(tx, actor, id, 'sla.manage', { forUpdate: true });
    await deletePolicyRow(tx, actor, id);
    await recordAudit(tx, actor, { action: 'sla.policy_deleted', targetType: 'sla_policy', targetId: id, details: { name: row.name } });
  });
}

/** Sets the order policies are tried in; the list must name every policy of the workspace once. */
export async function reorderPolicies(db: Db, actor: Actor, policyIds: string[]): Promise<{ data: PolicyView[]; next_cursor: null }> {
  authorize(actor, 'sla.manage', policyResource(workspaceScope(actor)));
  return inTransaction(db, async (tx) => {
    const existing = new Set(await lockPolicyIds(tx, actor));
    const given = policyIds.map((id) => id.toLowerCase());
    const unknown = given.filter((id) => !existing.has(id));
    const missing = [...existing].filter((id) => !given.includes(id));
    if (unknown.length > 0 || missing.length > 0) {
      throw unprocessable('sla.order_mismatch', 'The order must name every SLA policy of the workspace exactly once', {
        field: 'policy_ids',
        unknown_ids: unknown,
        missing_ids: missing,
      });
    }
    await setPositions(tx, actor, given);
    await recordAudit(tx, actor, {
      action: 'sla.policies_reordered',
      targetType: 'sla_policy',
      targetId: null,
      details: { policy_ids: given },
    });
    const rows = await listPolicyRows(tx, actor, { limit: 500 });
    return { data: rows.map(policyView), next_cursor: null };
  });
}
