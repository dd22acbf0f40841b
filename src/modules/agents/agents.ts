import type { Updateable } from 'kysely';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/database.js';
import { decodeCursor, pageOf } from '../../http/pagination.js';
import type { Actor, AgentActor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { authorize } from '../../platform/authorization.js';
import { unprocessable } from '../../platform/errors.js';
import { recordDomainEvent } from '../../platform/outbox.js';
import { resetRateLimit } from '../../platform/rate-limit.js';
import { agentRowsByIds, getAgentRow, listAgentRows, lockActiveAdminIds, updateAgentRow } from './agent-store.js';
import { hashPassword, verifyPassword } from './passwords.js';
import type { AgentRole, AgentStatus, AgentsTable, Presence } from './schema.js';
import { deleteSessionsOfAgent } from './session-store.js';
import { throttle } from './sessions.js';
import { revokeTokensOfAgent } from './token-store.js';
import { agentView, type AgentView } from './views.js';

/**
 * Agents: the directory every agent reads, admin changes (role, capacity, deactivation) and each
 * agent's own profile, password and presence. Every agent may change their own profile, so those
 * writes need only `agent.read`; what they may change is fixed here.
 */

export async function listAgents(
  db: Db,
  actor: Actor,
  query: { status?: AgentStatus; team_id?: string; limit?: number; cursor?: string },
): Promise<{ data: AgentView[]; next_cursor: string | null }> {
  const limit = query.limit ?? 25;
  const after = decodeCursor(query.cursor, ['string', 'string']) as [string, string] | undefined;
  const rows = await listAgentRows(db, actor, { status: query.status, teamId: query.team_id, limit, after });
  const page = pageOf(rows, limit, (r) => [r.name, r.id]);
  return { data: page.data.map(agentView), next_cursor: page.next_cursor };
}

export async function getAgent(db: Db, actor: Actor, id: string): Promise<AgentView> {
  return agentView(await getAgentRow(db, actor, id, 'agent.read'));
}

/** Names, emails and roles of several agents in one query (other modules show authors and assignees). */
export async function getAgentsByIds(
  db: Db,
  actor: Actor,
  ids: string[],
): Promise<Map<string, { id: string; name: string; email: string; role: AgentRole }>> {
  const rows = await agentRowsByIds(db, actor, [...new Set(ids)]);
  return new Map(rows.map((r) => [r.id, { id: r.id, name: r.name, email: r.email, role: r.role }]));
}

export interface AgentAdminPatch {
  name?: string;
  role?: AgentRole;
  capacity?: number;
  status?: 'active' | 'deactivated';
}

export async function updateAgent(db: Db, actor: AgentActor, id: string, patch: AgentAdminPatch): Promise<AgentView> {
  authorize(actor, 'agent.manage');
  return inTransaction(db, async (tx) => {
    // Admins are locked before the target row, always in this order, so concurrent changes queue.
    const activeAdmins = patch.role !== undefined || patch.status !== undefined ? await lockActiveAdminIds(tx, actor) : [];
    const current = await getAgentRow(tx, actor, id, 'agent.manage', { forUpdate: true });
    const changes: Updateable<AgentsTable> = {};
    const fieldChanges: Record<string, { from: unknown; to: unknown }> = {};
    if (patch.name !== undefined && patch.name.trim() !== current.name) {
      changes.name = patch.name.trim();
      fieldChanges.name = { from: current.name, to: changes.name };
    }
    if (patch.capacity !== undefined && patch.capacity !== current.capacity) {
      changes.capacity = patch.capacity;
      fieldChanges.capacity = { from: current.capacity, to: patch.capacity };
    }
    const roleChanged = patch.role !== undefined && patch.role !== current.role;
    if (roleChanged) changes.role = patch.role;
    const deactivating = patch.status === 'deactivated' && current.status !== 'deactivated';
    const reactivating = patch.status === 'active' && current.status !== 'active';
    if (reactivating && current.password_hash === null) {
      throw unprocessable('agent.not_activated', 'An invited agent becomes active by accepting the invitation', { field: 'status' });
    }
    if (deactivating) {
      changes.status = 'deactivated';
      changes.presence = 'offline';
      changes.presence_at = new Date();
    }
    if (reactivating) changes.status = 'active';

    const losesAdmin = current.role === 'admin' && current.status === 'active' && ((roleChanged && patch.role !== 'admin') || deactivating);
    if (losesAdmin && activeAdmins.every((adminId) => adminId === current.id)) {
      throw unprocessable('agent.last_admin', 'The workspace needs an active admin: make another agent admin first', {
        field: roleChanged ? 'role' : 'status',
      });
    }
    if (Object.keys(changes).length === 0) return agentView(current);

    const updated = await updateAgentRow(tx, actor, id, 'agent.manage', changes);
    const target = { targetType: 'agent', targetId: id };
    if (Object.keys(fieldChanges).length > 0) await recordAudit(tx, actor, { action: 'agent.updated', ...target, details: fieldChanges });
    if (roleChanged)
      await recordAudit(tx, actor, { action: 'agent.role_changed', ...target, details: { from: current.role, to: updated.role } });
    if (deactivating) {
      // Signed out everywhere at once: sessions deleted, API tokens acting as the agent revoked.
      await deleteSessionsOfAgent(tx, actor, id);
      const revokedTokens = await revokeTokensOfAgent(tx, actor, id);
      await recordAudit(tx, actor, { action: 'agent.deactivated', ...target, details: { revoked_tokens: revokedTokens } });
      await recordDomainEvent(tx, actor, { type: 'agent.deactivated', aggregateType: 'agent', aggregateId: id });
    }
    if (reactivating) await recordAudit(tx, actor, { action: 'agent.reactivated', ...target });
    return agentView(updated);
  });
}

export async function updateMe(db: Db, actor: AgentActor, patch: { name?: string; locale?: string }): Promise<AgentView> {
  const changes: Updateable<AgentsTable> = {};
  if (patch.name !== undefined) changes.name = patch.name.trim();
  if (patch.locale !== undefined) changes.locale = patch.locale;
  if (Object.keys(changes).length === 0) return getAgent(db, actor, actor.agentId);
  return agentView(await updateAgentRow(db, actor, actor.agentId, 'agent.read', changes));
}

export async function setMyPresence(db: Db, actor: AgentActor, presence: Presence): Promise<AgentView> {
  return agentView(await updateAgentRow(db, actor, actor.agentId, 'agent.read', { presence, presence_at: new Date() }));
}

/**
 * Needs the current password (a stolen session alone cannot take the account over) and is
 * throttled per agent. Other sessions are signed out; the current one stays.
 */
export async function changeMyPassword(
  db: Db,
  actor: AgentActor,
  currentSessionId: string | undefined,
  input: { current_password: string; new_password: string },
): Promise<void> {
  const bucket = `password:agent:${actor.agentId}`;
  await throttle(db, { bucket, limit: 5, windowSeconds: 15 * 60 }, 'auth.too_many_attempts');
  const agent = await getAgentRow(db, actor, actor.agentId, 'agent.read');
  if (!(await verifyPassword(input.current_password, agent.password_hash))) {
    throw unprocessable('agent.wrong_password', 'The current password is not correct', { field: 'current_password' });
  }
  const passwordHash = await hashPassword(input.new_password);
  await inTransaction(db, async (tx) => {
    await updateAgentRow(tx, actor, actor.agentId, 'agent.read', { password_hash: passwordHash });
    await deleteSessionsOfAgent(tx, actor, actor.agentId, currentSessionId);
    await recordAudit(tx, actor, { action: 'agent.password_changed', targetType: 'agent', targetId: actor.agentId });
  });
  await resetRateLimit(db, bucket);
}
