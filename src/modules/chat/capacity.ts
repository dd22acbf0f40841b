import { inTransaction, type Db } from '../../db/database.js';
import type { AgentActor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { enqueueJob } from '../../platform/jobs.js';
import { authorize } from '../../platform/authorization.js';
import { notFound } from '../../platform/errors.js';
import { getAgentsByIds, listTeamAgentsForAssignment } from '../agents/service.js';
import { pickAssignee } from '../assignment/round-robin.js';
import { activeChatsOf } from './conversation-store.js';
import { QUEUES } from './jobs.js';
import { getChatCapacityRow, upsertChatCapacity } from './site-store.js';

/** Live chats an agent takes at once unless an admin set otherwise. */
export const DEFAULT_CHAT_CAPACITY = 3;

export async function chatCapacityOf(db: Db, workspaceId: string, agentId: string): Promise<number> {
  return (await getChatCapacityRow(db, workspaceId, agentId)) ?? DEFAULT_CHAT_CAPACITY;
}

export async function getAgentChatSettings(
  db: Db,
  actor: AgentActor,
  agentId: string,
): Promise<{ agent_id: string; chat_capacity: number }> {
  authorize(actor, 'agent.read', { workspaceId: actor.workspaceId, type: 'agent' });
  if (!(await getAgentsByIds(db, actor, [agentId])).has(agentId)) throw notFound('agent');
  return { agent_id: agentId, chat_capacity: await chatCapacityOf(db, actor.workspaceId, agentId) };
}

export async function setAgentChatCapacity(
  db: Db,
  actor: AgentActor,
  agentId: string,
  capacity: number,
): Promise<{ agent_id: string; chat_capacity: number }> {
  authorize(actor, 'chat.manage', { workspaceId: actor.workspaceId, type: 'agent' });
  return inTransaction(db, async (tx) => {
    if (!(await getAgentsByIds(tx, actor, [agentId])).has(agentId)) throw notFound('agent');
    const before = await chatCapacityOf(tx, actor.workspaceId, agentId);
    await upsertChatCapacity(tx, actor.workspaceId, agentId, capacity);
    // More room: waiting chats need not wait for the next sweep.
    if (capacity > before) await enqueueJob(tx, QUEUES.drain, { workspace_id: actor.workspaceId }, { singletonKey: actor.workspaceId });
    await recordAudit(tx, actor, {
      action: 'chat.capacity_set',
      targetType: 'agent',
      targetId: agentId,
      details: { chat_capacity: capacity },
    });
    return { agent_id: agentId, chat_capacity: capacity };
  });
}

/**
 * The agent who takes a new live chat: the team's round-robin (assignment module: presence,
 * capacity for open cases, fairness), walked until an online agent also has room for another
 * chat. Null when nobody online has room: the chat waits in the queue. Call inside the
 * transaction that assigns (pickAssignee's lock then covers the assignment).
 */
export async function pickChatAgent(tx: Db, workspaceId: string, teamId: string): Promise<string | null> {
  const members = await listTeamAgentsForAssignment(tx, workspaceId, teamId);
  const presence = new Map(members.map((m) => [m.id, m.presence]));
  const tried = new Set<string>();
  for (let i = 0; i < members.length; i++) {
    const agentId = await pickAssignee(tx, workspaceId, teamId);
    if (agentId === null || tried.has(agentId)) return null;
    tried.add(agentId);
    // Round-robin offers an away agent only when no online agent has room: a live chat waits instead.
    if (presence.get(agentId) !== 'online') return null;
    if ((await activeChatsOf(tx, workspaceId, agentId)) < (await chatCapacityOf(tx, workspaceId, agentId))) return agentId;
  }
  return null;
}
