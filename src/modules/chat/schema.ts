import type { Generated } from 'kysely';
import type { Json, Timestamp } from '../../platform/schema.js';
import type { CaseCategory } from '../cases/schema.js';

/** One answer of the widget's pre-chat question: where a chat that picks it goes. */
export interface PrechatChoice {
  id: string;
  label: string;
  category: CaseCategory;
  team_id: string | null;
}

export interface ChatSitesTable {
  id: Generated<string>;
  workspace_id: string;
  name: string;
  site_key: string;
  allowed_origins: Generated<string[]>;
  colour: Generated<string>;
  greeting: Generated<string>;
  prechat_question: Generated<string>;
  prechat_choices: Json<PrechatChoice[]>;
  team_id: string | null;
  category: Generated<CaseCategory>;
  mailbox_id: string | null;
  require_identity: Generated<boolean>;
  secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_secret_expires_at: Timestamp | null;
  secret_rotated_at: Generated<Timestamp>;
  active: Generated<boolean>;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface ChatAgentSettingsTable {
  agent_id: string;
  workspace_id: string;
  chat_capacity: number;
  updated_at: Generated<Timestamp>;
}

export interface ChatVisitorsTable {
  id: string;
  workspace_id: string;
  site_id: string;
  customer_id: string;
  external_id: string | null;
  created_at: Generated<Timestamp>;
  last_seen_at: Generated<Timestamp>;
}

export type ConversationState = 'queued' | 'active' | 'ended';

export interface ChatConversationsTable {
  id: Generated<string>;
  workspace_id: string;
  site_id: string;
  visitor_id: string;
  case_id: string;
  choice_id: string | null;
  team_id: string | null;
  state: ConversationState;
  queued_at: Timestamp | null;
  assigned_at: Timestamp | null;
  ended_at: Timestamp | null;
  email_followup: Generated<boolean>;
  followup_email: string | null;
  visitor_seen_at: Timestamp | null;
  visitor_read_message_id: string | null;
  visitor_read_at: Timestamp | null;
  agent_read_message_id: string | null;
  agent_read_at: Timestamp | null;
  created_at: Generated<Timestamp>;
}

export interface ChatUploadsTable {
  attachment_id: string;
  workspace_id: string;
  visitor_id: string;
  created_at: Generated<Timestamp>;
}

export interface ChatTables {
  chat_sites: ChatSitesTable;
  chat_agent_settings: ChatAgentSettingsTable;
  chat_visitors: ChatVisitorsTable;
  chat_conversations: ChatConversationsTable;
  chat_uploads: ChatUploadsTable;
}
