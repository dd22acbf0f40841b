import type { AppContext } from '../../context.js';
import type { Db } from '../../db/database.js';
import { enqueueJob, type JobHandler } from '../../platform/jobs.js';
import type { DomainEvent, DomainEventListener } from '../../platform/outbox.js';
import type { JsonObject } from '../../platform/schema.js';
import { getMessage } from '../cases/service.js';
import { systemActor } from '../../platform/actor.js';
import { findConversationByCase, workspacesWithQueuedChats } from './conversation-store.js';
import { endConversation } from './conversations.js';
import { emailChatReply } from './mail.js';
import { drainChatQueue } from './queue.js';
import { siteMailboxOf } from './site-store.js';

/**
 * The chat channel's background work: queued chats assigned when room frees up, chats ended when
 * their case is solved, and agent replies emailed to a visitor who is gone (left, or did not read
 * the reply within OFFLINE_AFTER_MS). Listeners only enqueue jobs: they run inside the outbox
 * relay's transaction and must stay short.
 */

export const QUEUES = {
  drain: 'chat.assign_queue',
  sweep: 'chat.queue_sweep',
  end: 'chat.end_conversation',
  offline: 'chat.offline_reply',
} as const;
/**
 * Besides the events that free room, the queue is swept this often: a drain that an event asked
 * for while another drain of the workspace was running (the singleton key) would otherwise wait
 * for the next event.
 */
export const QUEUE_SWEEP_MS = 60_000;
/** An agent reply the visitor has not read by then goes out by email (when an address is known). */
export const OFFLINE_AFTER_MS = 2 * 60_000;

const str = (value: unknown) => (typeof value === 'string' ? value : undefined);

async function onEvent(db: Db, event: DomainEvent): Promise<void> {
  const data = event.payload;
  const workspace = { workspace_id: event.workspaceId };
  switch (event.type) {
    case 'agent.presence_changed':
      if (data.presence === 'online') await enqueueJob(db, QUEUES.drain, workspace, { singletonKey: event.workspaceId });
      return;
    case 'chat.state':
      if (data.state === 'ended') await enqueueJob(db, QUEUES.drain, workspace, { singletonKey: event.workspaceId });
      return;
    case 'case.assigned':
      // A chat taken away from an agent frees room (the queue's own assignments come from nobody).
      if (data.from) await enqueueJob(db, QUEUES.drain, workspace, { singletonKey: event.workspaceId });
      return;
    case 'case.status_changed': {
      if (data.to !== 'solved' && data.to !== 'closed') return;
      const conversation = await findConversationByCase(db, event.workspaceId, event.aggregateId);
      if (conversation && conversation.state !== 'ended') {
        await enqueueJob(db, QUEUES.end, { ...workspace, conversation_id: conversation.id });
      }
      return;
    }
    case 'case.message_added': {
      if (data.visibility !== 'public' || (data.author_type !== 'agent' && data.author_type !== 'system') || data.channel !== 'chat')
        return;
      const conversation = await findConversationByCase(db, event.workspaceId, event.aggregateId);
      if (!conversation || typeof data.message_id !== 'string') return;
      const runAt = new Date(Date.now() + (conversation.email_followup ? 0 : OFFLINE_AFTER_MS));
      await enqueueJob(db, QUEUES.offline, { ...workspace, case_id: event.aggregateId, message_id: data.message_id }, { runAt });
      return;
    }
    default:
  }
}

export function chatDomainListener(): DomainEventListener {
  return {
    name: 'chat.channel',
    handles: ['agent.presence_changed', 'chat.state', 'case.assigned', 'case.status_changed', 'case.message_added'],
    handle: (event, tx) => onEvent(tx, event),
  };
}

/** Schedules the next sweep; the minute in the singleton key makes concurrent schedulers agree on one job. */
export async function scheduleChatQueueSweep(db: Db, at = new Date()): Promise<void> {
  const slot = new Date(Math.ceil(at.getTime() / QUEUE_SWEEP_MS) * QUEUE_SWEEP_MS);
  await enqueueJob(db, QUEUES.sweep, {}, { runAt: slot, singletonKey: slot.toISOString() });
}

export function chatJobHandlers(ctx: AppContext): JobHandler<JsonObject>[] {
  return [
    {
      queue: QUEUES.sweep,
      async run() {
        for (const workspaceId of await workspacesWithQueuedChats(ctx.db, 1000)) {
          await drainChatQueue(ctx, workspaceId, { announceWhenNoneAssigned: false });
        }
        await scheduleChatQueueSweep(ctx.db, new Date(Date.now() + QUEUE_SWEEP_MS));
      },
    },
    {
      queue: QUEUES.drain,
      async run(payload) {
        const workspaceId = str(payload.workspace_id);
        if (workspaceId) await drainChatQueue(ctx, workspaceId);
      },
    },
    {
      queue: QUEUES.end,
      async run(payload) {
        const workspaceId = str(payload.workspace_id);
        const conversationId = str(payload.conversation_id);
        if (workspaceId && conversationId) await endConversation(ctx.db, workspaceId, conversationId, 'system');
      },
    },
    {
      queue: QUEUES.offline,
      async run(payload) {
        const workspaceId = str(payload.workspace_id);
        const caseId = str(payload.case_id);
        const messageId = str(payload.message_id);
        if (!workspaceId || !caseId || !messageId) return;
        const conversation = await findConversationByCase(ctx.db, workspaceId, caseId);
        if (!conversation) return;
        // A reply the visitor has read in the widget does not need an email.
        const { message } = await getMessage(ctx.db, systemActor(workspaceId, 'chat mail'), messageId);
        if (conversation.visitor_read_at && conversation.visitor_read_at.getTime() >= new Date(message.created_at).getTime()) return;
        const site = await siteMailboxOf(ctx.db, workspaceId, conversation.site_id);
        await emailChatReply(ctx, { workspaceId, conversation, site, messageId });
      },
    },
  ];
}
