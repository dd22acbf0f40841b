import { inTransaction, type Db } from '../../db/database.js';
import type { AgentActor } from '../../platform/actor.js';
import { recordDomainEvent } from '../../platform/outbox.js';
// Known shortcut (ARCHITECTURE.md): getAgent and setMyPresence are not re-exported by the agents service yet.
import { getAgent, setMyPresence } from '../agents/agents.js';
import type { Presence } from '../agents/schema.js';
import { connectionStatusesOf, type ConnectionOwner } from './presence-store.js';

/**
 * An agent's presence follows their realtime connections, in every process: online while one
 * connection is online, away while all are away, offline when none is left. It is stored on the
 * agent (the presence round-robin assignment reads) and announced as `agent.presence_changed`.
 */
export async function syncAgentPresence(db: Db, owner: ConnectionOwner, staleBefore: Date): Promise<Presence | null> {
  const statuses = await connectionStatusesOf(db, owner.workspace_id, owner.agent_id, staleBefore);
  const wanted: Presence = statuses.includes('online') ? 'online' : statuses.includes('away') ? 'away' : 'offline';
  // The agent's own presence, changed on their behalf (a swept connection has no request). Every
  // role may read agents and set its own presence, so the role here does not widen anything.
  const actor: AgentActor = { kind: 'agent', workspaceId: owner.workspace_id, agentId: owner.agent_id, role: 'agent', via: 'session' };
  return inTransaction(db, async (tx) => {
    const current = await getAgent(tx, actor, owner.agent_id);
    if (current.presence === wanted) return null;
    await setMyPresence(tx, actor, wanted);
    await recordDomainEvent(tx, actor, {
      type: 'agent.presence_changed',
      aggregateType: 'agent',
      aggregateId: owner.agent_id,
      payload: { agent_id: owner.agent_id, presence: wanted, from: current.presence },
    });
    return wanted;
  });
}
