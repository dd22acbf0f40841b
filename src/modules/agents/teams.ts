import type { Updateable } from 'kysely';
import type { Db } from '../../db/database.js';
import { inTransaction } from '../../db/database.js';
import { decodeCursor, pageOf } from '../../http/pagination.js';
import type { Actor, AgentActor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { authorize, type Permission } from '../../platform/authorization.js';
import { conflict, unprocessable } from '../../platform/errors.js';
import { withIdempotency } from '../../platform/idempotency.js';
import type { CaseCategory } from '../cases/schema.js';
import { activeTeamMembers, existingAgentIds } from './agent-store.js';
import { isUniqueViolation, type IdempotencyRequest } from './db-errors.js';
import type { Presence, QueuesTable, TeamsTable } from './schema.js';
import {
  deleteQueueRow,
  deleteTeamRow,
  getQueueRow,
  getTeamRow,
  insertQueue,
  insertTeam,
  listQueueRows,
  listTeamRows,
  lockQueueCategories,
  membersOfTeams,
  queueForCategory,
  queueNameTaken,
  queuesClaiming,
  queuesOfTeams,
  replaceTeamMembers,
  teamNameTaken,
  updateQueueRow,
  updateTeamRow,
} from './team-store.js';
import { queueView, teamView, type QueueView, type TeamMemberView, type TeamRow, type TeamView } from './views.js';

/** Teams (groups of agents), their queues (which case categories land where) and membership. */

const teamNameTakenError = () => conflict('team.name_taken', 'A team with this name already exists', { field: 'name' });
const queueNameTakenError = () => conflict('queue.name_taken', 'This team already has a queue with this name', { field: 'name' });

/** Members and queues of a page of teams: two batched queries, whatever the page size. */
async function withMembersAndQueues(db: Db, actor: Actor, teams: TeamRow[]): Promise<TeamView[]> {
  const ids = teams.map((t) => t.id);
  const [members, queues] = [await membersOfTeams(db, actor, ids), await queuesOfTeams(db, actor, ids)];
  const membersByTeam = new Map<string, TeamMemberView[]>();
  for (const m of members) {
    const list = membersByTeam.get(m.team_id) ?? [];
    list.push({ id: m.id, name: m.name, email: m.email, role: m.role, status: m.status, presence: m.presence });
    membersByTeam.set(m.team_id, list);
  }
  const queuesByTeam = new Map<string, QueueView[]>();
  for (const q of queues) {
    const list = queuesByTeam.get(q.team_id) ?? [];
    list.push(queueView(q));
    queuesByTeam.set(q.team_id, list);
  }
  return teams.map((t) => teamView(t, membersByTeam.get(t.id) ?? [], queuesByTeam.get(t.id) ?? []));
}

export async function listTeams(
  db: Db,
  actor: Actor,
  query: { limit?: number; cursor?: string },
): Promise<{ data: TeamView[]; next_cursor: string | null }> {
  const limit = query.limit ?? 100;
  const after = decodeCursor(query.cursor, ['string', 'string']) as [string, string] | undefined;
  const page = pageOf(await listTeamRows(db, actor, { limit, after }), limit, (t) => [t.name, t.id]);
  return { data: await withMembersAndQueues(db, actor, page.data), next_cursor: page.next_cursor };
}

export async function getTeam(db: Db, actor: Actor, id: string): Promise<TeamView> {
  const team = await getTeamRow(db, actor, id, 'agent.read');
  const [view] = await withMembersAndQueues(db, actor, [team]);
  return view!;
}

async function assertAgentsExist(db: Db, actor: Actor, agentIds: string[]): Promise<void> {
  const existing = await existingAgentIds(db, actor, agentIds);
  const unknown = agentIds.filter((id) => !existing.has(id));
  if (unknown.length > 0)
    throw unprocessable('team.unknown_agents', 'Some agents do not exist in this workspace', { field: 'agent_ids', agent_ids: unknown });
}

export async function createTeam(
  db: Db,
  actor: AgentActor,
  input: { name: string; description?: string; auto_assign?: boolean; member_ids?: string[] },
  idempotency: IdempotencyRequest,
): Promise<{ statusCode: number; body: TeamView }> {
  authorize(actor, 'team.manage');
  const name = input.name.trim();
  try {
    return await withIdempotency(
      db,
      { workspaceId: actor.workspaceId, principal: `agent:${actor.agentId}`, key: idempotency.key, requestHash: idempotency.requestHash },
      async (tx) => {
        if (await teamNameTaken(tx, actor, name)) throw teamNameTakenError();
        const team = await insertTeam(tx, actor, { name, description: input.description ?? '', autoAssign: input.auto_assign ?? false });
        const memberIds = [...new Set(input.member_ids ?? [])];
        await assertAgentsExist(tx, actor, memberIds);
        await replaceTeamMembers(tx, actor, team.id, memberIds);
        await recordAudit(tx, actor, {
          action: 'team.created',
          targetType: 'team',
          targetId: team.id,
          details: { name, member_ids: memberIds },
        });
        const [view] = await withMembersAndQueues(tx, actor, [team]);
        return { statusCode: 201, body: view! };
      },
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw teamNameTakenError();
    throw error;
  }
}

export async function updateTeam(
  db: Db,
  actor: AgentActor,
  id: string,
  patch: { name?: string; description?: string; auto_assign?: boolean },
): Promise<TeamView> {
  try {
    return await inTransaction(db, async (tx) => {
      const current = await getTeamRow(tx, actor, id, 'team.manage', { forUpdate: true });
      const changes: Updateable<TeamsTable> = {};
      const details: Record<string, { from: unknown; to: unknown }> = {};
      const name = patch.name?.trim();
      if (name !== undefined && name !== current.name) {
        if (await teamNameTaken(tx, actor, name, id)) throw teamNameTakenError();
        changes.name = name;
        details.name = { from: current.name, to: name };
      }
      if (patch.description !== undefined && patch.description !== current.description) {
        changes.description = patch.description;
        details.description = { from: current.description, to: patch.description };
      }
      if (patch.auto_assign !== undefined && patch.auto_assign !== current.auto_assign) {
        changes.auto_assign = patch.auto_assign;
        details.auto_assign = { from: current.auto_assign, to: patch.auto_assign };
      }
      let team = current;
      if (Object.keys(changes).length > 0) {
        team = await updateTeamRow(tx, actor, id, changes);
        await recordAudit(tx, actor, { action: 'team.updated', targetType: 'team', targetId: id, details });
      }
      const [view] = await withMembersAndQueues(tx, actor, [team]);
      return view!;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw teamNameTakenError();
    throw error;
  }
}

/** Cases of the team keep existing; they lose their team and queue (ON DELETE SET NULL). */
export async function deleteTeam(db: Db, actor: AgentActor, id: string): Promise<void> {
  await inTransaction(db, async (tx) => {
    const team = await getTeamRow(tx, actor, id, 'team.manage', { forUpdate: true });
    await deleteTeamRow(tx, actor, id);
    await recordAudit(tx, actor, { action: 'team.deleted', targetType: 'team', targetId: id, details: { name: team.name } });
  });
}

export async function setTeamMembers(db: Db, actor: AgentActor, id: string, agentIds: string[]): Promise<TeamView> {
  return inTransaction(db, async (tx) => {
    const team = await getTeamRow(tx, actor, id, 'team.manage', { forUpdate: true });
    const ids = [...new Set(agentIds)];
    await assertAgentsExist(tx, actor, ids);
    const { added, removed } = await replaceTeamMembers(tx, actor, id, ids);
    if (added.length > 0 || removed.length > 0) {
      await recordAudit(tx, actor, { action: 'team.members_changed', targetType: 'team', targetId: id, details: { added, removed } });
    }
    const [view] = await withMembersAndQueues(tx, actor, [team]);
    return view!;
  });
}

/** A category routes to at most one queue of the workspace, so routing never has to guess. */
async function assertCategoriesFree(tx: Db, actor: Actor, categories: string[], exceptQueueId?: string): Promise<void> {
  await lockQueueCategories(tx, actor);
  const claiming = await queuesClaiming(tx, actor, categories, exceptQueueId);
  if (claiming.length > 0) {
    const taken = categories.filter((c) => claiming.some((q) => q.categories.includes(c)));
    throw conflict('queue.category_taken', `Another queue already receives: ${taken.join(', ')}`, {
      field: 'categories',
      categories: taken,
      queue_ids: claiming.map((q) => q.id),
    });
  }
}

export async function createQueue(
  db: Db,
  actor: AgentActor,
  teamId: string,
  input: { name: string; categories?: CaseCategory[] },
  idempotency: IdempotencyRequest,
): Promise<{ statusCode: number; body: QueueView }> {
  authorize(actor, 'team.manage');
  const name = input.name.trim();
  const categories = [...new Set(input.categories ?? [])];
  try {
    return await withIdempotency(
      db,
      { workspaceId: actor.workspaceId, principal: `agent:${actor.agentId}`, key: idempotency.key, requestHash: idempotency.requestHash },
      async (tx) => {
        await getTeamRow(tx, actor, teamId, 'team.manage', { forUpdate: true });
        if (await queueNameTaken(tx, actor, teamId, name)) throw queueNameTakenError();
        await assertCategoriesFree(tx, actor, categories);
        const queue = await insertQueue(tx, actor, { teamId, name, categories });
        await recordAudit(tx, actor, {
          action: 'queue.created',
          targetType: 'queue',
          targetId: queue.id,
          details: { team_id: teamId, name, categories },
        });
        return { statusCode: 201, body: queueView(queue) };
      },
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw queueNameTakenError();
    throw error;
  }
}

export async function updateQueue(
  db: Db,
  actor: AgentActor,
  id: string,
  patch: { name?: string; categories?: CaseCategory[] },
): Promise<QueueView> {
  try {
    return await inTransaction(db, async (tx) => {
      const current = await getQueueRow(tx, actor, id, 'team.manage');
      const changes: Updateable<QueuesTable> = {};
      const name = patch.name?.trim();
      if (name !== undefined && name !== current.name) {
        if (await queueNameTaken(tx, actor, current.team_id, name, id)) throw queueNameTakenError();
        changes.name = name;
      }
      if (patch.categories !== undefined) {
        const categories = [...new Set(patch.categories)];
        await assertCategoriesFree(tx, actor, categories, id);
        changes.categories = categories;
      }
      if (Object.keys(changes).length === 0) return queueView(current);
      const queue = await updateQueueRow(tx, actor, id, changes);
      await recordAudit(tx, actor, {
        action: 'queue.updated',
        targetType: 'queue',
        targetId: id,
        details: { from: { name: current.name, categories: current.categories }, to: { name: queue.name, categories: queue.categories } },
      });
      return queueView(queue);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw queueNameTakenError();
    throw error;
  }
}

export async function deleteQueue(db: Db, actor: AgentActor, id: string): Promise<void> {
  await inTransaction(db, async (tx) => {
    const queue = await getQueueRow(tx, actor, id, 'team.manage');
    await deleteQueueRow(tx, actor, id);
    await recordAudit(tx, actor, {
      action: 'queue.deleted',
      targetType: 'queue',
      targetId: id,
      details: { team_id: queue.team_id, name: queue.name },
    });
  });
}

export async function listQueues(
  db: Db,
  actor: Actor,
  query: { team_id?: string; limit?: number; cursor?: string },
): Promise<{ data: QueueView[]; next_cursor: string | null }> {
  const limit = query.limit ?? 100;
  const after = decodeCursor(query.cursor, ['string', 'string']) as [string, string] | undefined;
  const page = pageOf(await listQueueRows(db, actor, { teamId: query.team_id, limit, after }), limit, (q) => [q.name, q.id]);
  return { data: page.data.map(queueView), next_cursor: page.next_cursor };
}

/**
 * Where a new case of this category goes: the queue claiming the category, or null. Routing is
 * part of opening a case, so it needs the permission to open one (an agent or the system writing
 * a case, a customer submitting the web form).
 */
export async function resolveQueueForCategory(
  db: Db,
  actor: Actor,
  category: CaseCategory,
): Promise<{ teamId: string; queueId: string; teamAutoAssigns: boolean } | null> {
  const permission: Permission = actor.kind === 'customer' ? 'webform.submit' : 'case.write';
  authorize(actor, permission);
  const queue = await queueForCategory(db, actor, category);
  return queue ? { teamId: queue.team_id, queueId: queue.id, teamAutoAssigns: queue.auto_assign } : null;
}

/** Active members of a team with what round-robin needs, in stable id order. Internal: no actor. */
export async function listTeamAgentsForAssignment(
  db: Db,
  workspaceId: string,
  teamId: string,
): Promise<{ id: string; presence: Presence; capacity: number }[]> {
  return activeTeamMembers(db, workspaceId, teamId);
}
