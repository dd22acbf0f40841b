import type { Db } from '../../db/database.js';
import { systemActor, type Actor } from '../../platform/actor.js';
import { getAgentsByIds } from '../agents/service.js';
import { getCustomerSummaries } from '../customers/service.js';
import { attachFilesToMessage, listAttachmentsForMessages } from '../files/service.js';

/**
 * The cases module's calls into other modules (agents, customers, files), in one place.
 *
 * A customer holding a status link has already been authorized for the case itself (the cases
 * module decides what of it they see); the names of the agents who answered and the files of
 * public messages come with it. Those lookups run as the workspace's system actor because the
 * other modules grant customers nothing of their own.
 */
export function lookupActor(actor: Actor): Actor {
  return actor.kind === 'customer' ? systemActor(actor.workspaceId, 'case view for a status link') : actor;
}

export interface CustomerSummary {
  id: string;
  name: string;
  primary_email: string | null;
  organization: string;
}

export async function customerSummariesOf(db: Db, actor: Actor, ids: string[]): Promise<Map<string, CustomerSummary>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  return getCustomerSummaries(db, lookupActor(actor), unique);
}

export async function agentNamesOf(db: Db, actor: Actor, ids: string[]): Promise<Map<string, { id: string; name: string }>> {
  const unique = [...new Set(ids)];
  const names = new Map<string, { id: string; name: string }>();
  if (unique.length === 0) return names;
  const agents = await getAgentsByIds(db, lookupActor(actor), unique);
  for (const agent of agents.values()) names.set(agent.id, { id: agent.id, name: agent.name });
  return names;
}

export interface AttachmentView {
  id: string;
  filename: string;
  content_type: string;
  size_bytes: number;
  url: string;
}

export async function attachmentsOf(db: Db, actor: Actor, messageIds: string[]): Promise<Map<string, AttachmentView[]>> {
  if (messageIds.length === 0) return new Map();
  return listAttachmentsForMessages(db, lookupActor(actor), messageIds);
}

export async function attachToMessage(tx: Db, actor: Actor, attachmentIds: string[] | undefined, messageId: string): Promise<void> {
  if (!attachmentIds || attachmentIds.length === 0) return;
  await attachFilesToMessage(tx, actor, [...new Set(attachmentIds)], messageId);
}
