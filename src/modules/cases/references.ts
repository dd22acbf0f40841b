import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { workspaceScope } from '../../platform/authorization.js';
import { unprocessable } from '../../platform/errors.js';
import { isUuid } from './store.js';

/**
 * Checks the team, queue and assignee a case points at: each must belong to the actor's workspace
 * (the foreign keys alone would accept another workspace's rows) and the queue must belong to the
 * team. Read-only lookups of the agents module's tables, kept in this one file because the
 * agents module exports no team/queue lookup yet; swap for its functions when it does.
 */

export interface CaseRouting {
  teamId: string | null;
  queueId: string | null;
}

export interface TeamFacts {
  id: string;
  auto_assign: boolean;
}

export async function findTeam(db: Db, actor: Actor, teamId: string): Promise<TeamFacts | undefined> {
  if (!isUuid(teamId)) return undefined;
  return db
    .selectFrom('teams')
    .select(['id', 'auto_assign'])
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', '=', teamId)
    .executeTakeFirst();
}

async function findQueue(db: Db, actor: Actor, queueId: string): Promise<{ id: string; team_id: string } | undefined> {
  if (!isUuid(queueId)) return undefined;
  return db
    .selectFrom('queues')
    .select(['id', 'team_id'])
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', '=', queueId)
    .executeTakeFirst();
}

/**
 * Resolves the routing a change asks for against the current one:
 * - a queue alone brings its team along;
 * - a new team without a queue drops a queue of the old team;
 * - an explicit queue must belong to the (new) team.
 */
export async function resolveRouting(
  db: Db,
  actor: Actor,
  current: CaseRouting,
  requested: { teamId?: string | null | undefined; queueId?: string | null | undefined },
): Promise<CaseRouting> {
  let teamId = current.teamId;
  let queueId = current.queueId;
  let queueTeam: string | undefined;
  if (requested.queueId !== undefined && requested.queueId !== null) {
    const queue = await findQueue(db, actor, requested.queueId);
    if (!queue) throw unprocessable('case.unknown_queue', 'This queue does not exist in the workspace', { queue_id: requested.queueId });
    queueTeam = queue.team_id;
  }
  if (requested.teamId !== undefined) {
    if (requested.teamId !== null && !(await findTeam(db, actor, requested.teamId))) {
      throw unprocessable('case.unknown_team', 'This team does not exist in the workspace', { team_id: requested.teamId });
    }
    teamId = requested.teamId;
  } else if (queueTeam !== undefined) {
    teamId = queueTeam;
  }
  if (requested.queueId !== undefined) {
    queueId = requested.queueId;
  } else if (queueId !== null && teamId !== current.teamId) {
    const queue = await findQueue(db, actor, queueId);
    if (!queue || queue.team_id !== teamId) queueId = null;
  }
  if (queueId !== null && requested.queueId !== undefined && queueTeam !== teamId) {
    throw unprocessable('case.queue_not_in_team', 'The queue belongs to another team', { queue_id: queueId, team_id: teamId });
  }
  return { teamId, queueId };
}

/** An assignee must be an agent of the workspace who is not deactivated. */
export async function assertAssignable(db: Db, actor: Actor, agentId: string): Promise<void> {
  const agent = !isUuid(agentId)
    ? undefined
    : await db
        .selectFrom('agents')
        .select(['id', 'status'])
        .where('workspace_id', '=', workspaceScope(actor))
        .where('id', '=', agentId)
        .executeTakeFirst();
  if (!agent || agent.status === 'deactivated') {
    throw unprocessable('case.unknown_assignee', 'The assignee must be an active agent of this workspace', { assignee_id: agentId });
  }
}

/** A follower must be an agent of the workspace. */
export async function assertAgentInWorkspace(db: Db, actor: Actor, agentId: string): Promise<void> {
  const agent = !isUuid(agentId)
    ? undefined
    : await db
        .selectFrom('agents')
        .select('id')
        .where('workspace_id', '=', workspaceScope(actor))
        .where('id', '=', agentId)
        .executeTakeFirst();
  if (!agent) throw unprocessable('case.unknown_agent', 'This agent does not exist in the workspace', { agent_id: agentId });
}
