import type { Generated } from 'kysely';
import type { Json, JsonObject, JsonWithDefault, Timestamp } from '../../platform/schema.js';

export const CASE_STATUSES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const CASE_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type CasePriority = (typeof CASE_PRIORITIES)[number];
export const CASE_CATEGORIES = ['billing', 'payment', 'dispute', 'refund', 'technical', 'general'] as const;
export type CaseCategory = (typeof CASE_CATEGORIES)[number];
export const CHANNELS = ['web', 'email', 'chat', 'phone', 'letter', 'social', 'walk_in', 'api'] as const;
export type Channel = (typeof CHANNELS)[number];
/** Zendesk-style case types, plus `dispute` for chargebacks worked to an evidence deadline. */
export const CASE_TYPES = ['question', 'incident', 'problem', 'task', 'dispute'] as const;
export type CaseType = (typeof CASE_TYPES)[number];
export type MessageChannel = Channel | 'internal';
export type Visibility = 'public' | 'internal';
export type AuthorType = 'customer' | 'agent' | 'system';

export interface CasesTable {
  id: Generated<string>;
  workspace_id: string;
  number: number;
  subject: string;
  status: Generated<CaseStatus>;
  priority: Generated<CasePriority>;
  category: Generated<CaseCategory>;
  type: Generated<CaseType>;
  due_at: Timestamp | null;
  channel: Channel;
  customer_id: string;
  team_id: string | null;
  queue_id: string | null;
  assignee_id: string | null;
  tags: Generated<string[]>;
  merged_into_id: string | null;
  version: Generated<number>;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
  last_message_at: Generated<Timestamp>;
  last_customer_message_at: Timestamp | null;
  first_agent_reply_at: Timestamp | null;
  solved_at: Timestamp | null;
  closed_at: Timestamp | null;
  search_vector: Generated<string>;
}

export interface CaseFollowersTable {
  case_id: string;
  agent_id: string;
  workspace_id: string;
  created_at: Generated<Timestamp>;
}

export interface MessagesTable {
  id: Generated<string>;
  workspace_id: string;
  case_id: string;
  visibility: Visibility;
  author_type: AuthorType;
  author_agent_id: string | null;
  author_customer_id: string | null;
  channel: MessageChannel;
  body_text: string;
  metadata: JsonWithDefault<JsonObject>;
  created_at: Generated<Timestamp>;
  search_vector: Generated<string>;
}

export interface AttachmentsTable {
  id: Generated<string>;
  workspace_id: string;
  message_id: string | null;
  sha256: string;
  size_bytes: number;
  filename: string;
  content_type: string;
  created_at: Generated<Timestamp>;
}

export interface CaseEventsTable {
  id: Generated<number>;
  workspace_id: string;
  case_id: string;
  type: string;
  actor_type: AuthorType;
  actor_id: string | null;
  data: JsonWithDefault<JsonObject>;
  created_at: Generated<Timestamp>;
}

export interface SavedViewsTable {
  id: Generated<string>;
  workspace_id: string;
  owner_agent_id: string | null;
  name: string;
  filters: Json<JsonObject>;
  sort: Generated<string>;
  position: Generated<number>;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface CaseStatusLinksTable {
  id: Generated<string>;
  workspace_id: string;
  case_id: string;
  customer_id: string;
  token_hash: string;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  created_at: Generated<Timestamp>;
}

export interface CaseTables {
  cases: CasesTable;
  case_followers: CaseFollowersTable;
  messages: MessagesTable;
  attachments: AttachmentsTable;
  case_events: CaseEventsTable;
  saved_views: SavedViewsTable;
  case_status_links: CaseStatusLinksTable;
}
