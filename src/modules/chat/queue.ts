import type { AppContext } from '../../context.js';
import { inTransaction } from '../../db/database.js';
import { systemActor } from '../../platform/actor.js';
import { recordDomainEvent } from '../../platform/outbox.js';
import { updateCaseLocked } from '../cases/service.js';
import { pickChatAgent } from './capacity.js';
import { lockQueuedConversations, updateConversation } from './conversation-store.js';

const DRAIN_BATCH = 100;

/**
 * Hands waiting chats to agents who now have room (an agent came online, a chat ended, a case was
 * solved, or the periodic sweep), oldest first per team, then tells the ones still waiting their new place.
 * Returns how many were assigned.
 */
export async function drainChatQueue(
  ctx: AppContext,
  workspaceId: string,
  options: { announceWhenNoneAssigned?: boolean } = {},
): Promise<number> {
  const system = systemActor(workspaceId, 'chat queue');
  return inTransaction(ctx.db, async (tx) => {
    const queued = await lockQueuedConversations(tx, workspaceId, DRAIN_BATCH);
    const full = new Set<string>();
    const waiting = [];
    let assigned = 0;
    for (const conversation of queued) {
      const teamId = conversation.team_id;
      const agentId = teamId && !full.has(teamId) ? await pickChatAgent(tx, workspaceId, teamId) : null;
      if (!agentId) {
        if (teamId) full.add(teamId);
        waiting.push(conversation);
        continue;
      }
      await updateCaseLocked(tx, system, conversation.case_id, { assigneeId: agentId });
      await updateConversation(tx, workspaceId, conversation.id, { state: 'active', assigned_at: new Date() });
      assigned++;
    }
    // The periodic sweep (jobs.ts) finds the same places again and again while nobody frees up:
    // visitors hear their place only when it changed.
    if (assigned === 0 && options.announceWhenNoneAssigned === false) return 0;
    const places = new Map<string, number>();
    for (const conversation of waiting) {
      const key = conversation.team_id ?? '';
      const position = (places.get(key) ?? 0) + 1;
      places.set(key, position);
      await recordDomainEvent(tx, system, {
        type: 'chat.queue',
        aggregateType: 'case',
        aggregateId: conversation.case_id,
        payload: { conversation_id: conversation.id, position },
      });
    }
    return assigned;
  });
}
