/**
 * The chat API (docs/REALTIME.md): chat sites and agents' chat capacity (admin), and the agent's
 * read receipt on a live chat.
 */
import { request } from './http';
import type { CaseCategory } from './types';

const enc = encodeURIComponent;

export interface PrechatChoice {
  id: string;
  label: string;
  category: CaseCategory;
  team_id: string | null;
}

export interface ChatSite {
  id: string;
  name: string;
  site_key: string;
  allowed_origins: string[];
  colour: string;
  greeting: string;
  prechat_question: string;
  prechat_choices: PrechatChoice[];
  team_id: string | null;
  category: CaseCategory;
  mailbox_id: string | null;
  require_identity: boolean;
  active: boolean;
  secret_rotated_at: string;
  snippet: string;
  created_at: string;
  updated_at: string;
}

/** Create and rotate answer the secret once. */
export type ChatSiteWithSecret = ChatSite & { secret: string };

export interface ChatSiteInput {
  name: string;
  allowed_origins: string[];
  colour: string;
  greeting: string;
  prechat_question: string;
  prechat_choices: PrechatChoice[];
  team_id: string | null;
  category: CaseCategory;
  require_identity: boolean;
  active?: boolean;
}

export const chatSites = {
  list: (signal?: AbortSignal) => request<{ items: ChatSite[] }>('GET', '/chat/sites', { signal }).then((r) => r.items),
  create: (input: ChatSiteInput, idempotencyKey: string) =>
    request<ChatSiteWithSecret>('POST', '/chat/sites', { body: input, idempotencyKey }),
  update: (id: string, changes: Partial<ChatSiteInput>) => request<ChatSite>('PATCH', `/chat/sites/${enc(id)}`, { body: changes }),
  rotateSecret: (id: string) => request<ChatSiteWithSecret>('POST', `/chat/sites/${enc(id)}/rotate-secret`),
};

export const chatAgents = {
  settings: (agentId: string, signal?: AbortSignal) =>
    request<{ agent_id: string; chat_capacity: number }>('GET', `/chat/agents/${enc(agentId)}/settings`, { signal }),
  setCapacity: (agentId: string, chatCapacity: number) =>
    request<{ agent_id: string; chat_capacity: number }>('PUT', `/chat/agents/${enc(agentId)}/settings`, {
      body: { chat_capacity: chatCapacity },
    }),
};

/** The chat side of a case (GET /chat/conversations/{caseId}). */
export interface ChatConversation {
  id: string;
  case_id: string;
  state: 'queued' | 'active' | 'ended';
  position: number | null;
  identified: boolean;
  email_followup: boolean;
  visitor_seen_at: string | null;
  visitor_read_message_id: string | null;
  agent_read_message_id: string | null;
}

export const chatConversations = {
  get: (caseId: string, signal?: AbortSignal) => request<ChatConversation>('GET', `/chat/conversations/${enc(caseId)}`, { signal }),
  /** The agent has read the chat up to this message (the visitor sees "Read"). */
  read: (caseId: string, messageId: string) =>
    request<null>('POST', `/chat/conversations/${enc(caseId)}/read`, { body: { message_id: messageId } }),
};
