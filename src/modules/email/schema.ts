import type { ColumnType, Generated } from 'kysely';
import type { CaseCategory } from '../cases/schema.js';
import type { Json, JsonObject, NullableJson, Timestamp } from '../../platform/schema.js';

/** Raw bytes: written as a Buffer, read as a Buffer (pg) or Uint8Array (PGlite); wrap with Buffer.from. */
export type Bytes = ColumnType<Uint8Array, Buffer, Buffer>;
export type NullableBytes = ColumnType<Uint8Array | null, Buffer | null | undefined, Buffer | null>;

export interface MailboxesTable {
  id: Generated<string>;
  workspace_id: string;
  address: string;
  name: string;
  team_id: string | null;
  category: Generated<CaseCategory>;
  language: Generated<string>;
  acknowledge: Generated<boolean>;
  ack_subject: string | null;
  ack_body: string | null;
  imap_host: string | null;
  imap_port: number | null;
  imap_tls: Generated<boolean>;
  imap_username: string | null;
  imap_password_enc: string | null;
  imap_folder: Generated<string>;
  imap_move_to: string | null;
  active: Generated<boolean>;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export type InboundMailStatus = 'received' | 'processed' | 'quarantined' | 'ignored';

export interface InboundMailTable {
  id: Generated<string>;
  /** Arrival order (a sequence; null for mail received before it existed). */
  arrival: Generated<string | null>;
  workspace_id: string;
  mailbox_id: string;
  source: 'smtp' | 'imap';
  raw: Bytes;
  size_bytes: number;
  envelope_from: string | null;
  envelope_to: Generated<string[]>;
  remote_ip: string | null;
  helo: string | null;
  imap_uidvalidity: number | null;
  imap_uid: number | null;
  status: Generated<InboundMailStatus>;
  reason_code: string | null;
  reason: string | null;
  message_id_header: string | null;
  from_address: string | null;
  subject: string | null;
  case_id: string | null;
  message_id: string | null;
  auth_results: NullableJson<JsonObject>;
  attempts: Generated<number>;
  received_at: Generated<Timestamp>;
  processed_at: Timestamp | null;
}

export interface EmailMessageIdsTable {
  workspace_id: string;
  message_id_header: string;
  case_id: string;
  direction: 'inbound' | 'outbound';
  created_at: Generated<Timestamp>;
}

export interface EmailCaseParticipantsTable {
  workspace_id: string;
  case_id: string;
  address: string;
  name: string | null;
  role: Generated<'cc' | 'from'>;
  created_at: Generated<Timestamp>;
}

export type OutboundMailKind = 'reply' | 'acknowledgement' | 'notification' | 'transcript' | 'outreach';
export type OutboundMailStatus = 'queued' | 'sent' | 'kept' | 'failed' | 'suppressed';

export interface OutboundMailTable {
  id: Generated<string>;
  workspace_id: string;
  kind: OutboundMailKind;
  case_id: string | null;
  message_id: string | null;
  mailbox_id: string | null;
  recipient_agent_id: string | null;
  from_address: string;
  to_addresses: string[];
  cc_addresses: Generated<string[]>;
  reply_to: string | null;
  subject: string;
  message_id_header: string;
  in_reply_to: string | null;
  references_header: string | null;
  body_text: string;
  body_html: string | null;
  attachment_ids: Generated<string[]>;
  raw: NullableBytes;
  /** Added by migrations/0062_outbound_mail_headers.sql. */
  auto_submitted: Generated<'auto-replied' | 'auto-generated' | null>;
  status: Generated<OutboundMailStatus>;
  attempts: Generated<number>;
  last_error: string | null;
  created_at: Generated<Timestamp>;
  sent_at: Timestamp | null;
}

export interface ImapSyncStateTable {
  mailbox_id: string;
  uidvalidity: number;
  last_uid: Generated<number>;
  last_sync_at: Timestamp | null;
  last_error: string | null;
}

export interface EmailAutoRepliesTable {
  id: Generated<number>;
  workspace_id: string;
  address: string;
  kind: string;
  sent_at: Generated<Timestamp>;
}

export interface AgentEmailPreferencesTable {
  agent_id: string;
  workspace_id: string;
  on_assignment: Generated<boolean>;
  on_customer_reply: Generated<boolean>;
  updated_at: Generated<Timestamp>;
}

/** Sanitized HTML and header fields of a received message (migration 0061, processing/). */
export interface EmailMessageBodiesTable {
  message_id: string;
  workspace_id: string;
  inbound_mail_id: string | null;
  html: string | null;
  html_truncated: Generated<boolean>;
  headers: Json<Record<string, string>>;
  created_at: Generated<Timestamp>;
}

export interface EmailTables {
  mailboxes: MailboxesTable;
  inbound_mail: InboundMailTable;
  email_message_ids: EmailMessageIdsTable;
  email_case_participants: EmailCaseParticipantsTable;
  outbound_mail: OutboundMailTable;
  imap_sync_state: ImapSyncStateTable;
  email_auto_replies: EmailAutoRepliesTable;
  agent_email_preferences: AgentEmailPreferencesTable;
  email_message_bodies: EmailMessageBodiesTable;
}
