/**
 * The shapes of the Baton JSON API (/api/v1) as the web app uses them.
 * Kept in one place so that aligning with the server's route schemas is a one-file change.
 */

export const CASE_STATUSES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const CASE_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type CasePriority = (typeof CASE_PRIORITIES)[number];
export const CASE_CATEGORIES = ['billing', 'payment', 'dispute', 'refund', 'technical', 'general'] as const;
export type CaseCategory = (typeof CASE_CATEGORIES)[number];
export const CASE_TYPES = ['question', 'incident', 'problem', 'task', 'dispute'] as const;
export type CaseType = (typeof CASE_TYPES)[number];
export const CHANNELS = ['web', 'email', 'chat', 'phone', 'letter', 'social', 'walk_in', 'api'] as const;
export type Channel = (typeof CHANNELS)[number];
export const CASE_SORTS = ['updated_desc', 'updated_asc', 'created_desc', 'created_asc', 'priority_desc', 'number_desc'] as const;
export type CaseSort = (typeof CASE_SORTS)[number];
export const AGENT_ROLES = ['admin', 'supervisor', 'agent'] as const;
export type AgentRole = (typeof AGENT_ROLES)[number];
export type AgentStatus = 'invited' | 'active' | 'deactivated';
export type Presence = 'online' | 'away' | 'offline';
export type Visibility = 'public' | 'internal';
export type AuthorType = 'customer' | 'agent' | 'system';
export const PREFERRED_CHANNELS = ['email', 'phone', 'chat', 'web', 'letter', 'social', 'walk_in'] as const;
export type PreferredChannel = (typeof PREFERRED_CHANNELS)[number];
export const CORRESPONDENCE_FORMATS = ['email', 'letter', 'postcard'] as const;
export type CorrespondenceFormat = (typeof CORRESPONDENCE_FORMATS)[number];

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export interface Ref {
  id: string;
  name: string;
}

export interface Agent {
  id: string;
  name: string;
  email: string;
  role: AgentRole;
  status: AgentStatus;
  presence: Presence;
  presence_at?: string | null;
  capacity?: number;
  locale?: string;
  created_at?: string;
  updated_at?: string;
}

export interface Workspace {
  id: string;
  name: string;
  slug: string;
}

export interface Session {
  agent: Agent;
  workspace: Workspace;
  /** Null only for API-token callers, never for the web app's session. */
  csrf_token: string | null;
}

export interface CaseCustomer {
  id: string;
  name: string;
  primary_email: string | null;
  organization?: string;
}

export interface CaseRow {
  id: string;
  number: number;
  subject: string;
  status: CaseStatus;
  priority: CasePriority;
  category: CaseCategory;
  /** Older servers leave these out. */
  type?: CaseType;
  due_at?: string | null;
  channel: Channel;
  tags: string[];
  customer: CaseCustomer;
  assignee: Ref | null;
  team_id: string | null;
  queue_id: string | null;
  created_at: string;
  updated_at: string;
  last_message_at: string;
  version: number;
  /** Only on search results: plain text, never HTML. */
  snippet?: string;
}

export interface CaseDetail extends CaseRow {
  customer: CaseCustomer & { organization: string };
  followers: Ref[];
  merged_into_id?: string | null;
  solved_at?: string | null;
  closed_at?: string | null;
}

export interface Attachment {
  id: string;
  filename: string;
  content_type?: string;
  size_bytes: number;
  /** Signed, expiring download link. */
  url: string;
}

export interface UploadedAttachment {
  id: string;
  filename: string;
  content_type: string;
  size_bytes: number;
}

export interface Message {
  id: string;
  visibility: Visibility;
  author_type: AuthorType;
  author: Ref | null;
  channel: string;
  body_text: string;
  metadata?: Record<string, unknown>;
  attachments: Attachment[];
  created_at: string;
}

export interface CaseEvent {
  id: string | number;
  /** created, message_added, status_changed, assigned, tags_changed, merged_into, ... */
  type: string;
  actor_type: AuthorType;
  actor?: Ref | null;
  actor_id?: string | null;
  data: Record<string, unknown>;
  created_at: string;
}

export const CASE_FILTER_KEYS = [
  'status',
  'priority',
  'category',
  'channel',
  'team_id',
  'queue_id',
  'assignee_id',
  'customer_id',
  'tags',
  'created_after',
  'created_before',
  'updated_after',
  'updated_before',
  'solved_after',
  'q',
] as const;
export type CaseFilterKey = (typeof CASE_FILTER_KEYS)[number];

/**
 * Filters of a case list in the server's outside shape: the GET /cases query string and a view's
 * `filters` are the same object. Lists are comma-separated (status: 'new,open'); assignee_id is
 * 'me', 'none' or an agent id.
 */
export type CaseFilters = Partial<Record<CaseFilterKey, string>>;

export interface CaseListQuery extends CaseFilters {
  sort?: CaseSort;
  limit?: number;
  cursor?: string;
}

export interface CaseChanges {
  status?: CaseStatus;
  priority?: CasePriority;
  category?: CaseCategory;
  team_id?: string | null;
  queue_id?: string | null;
  assignee_id?: string | null;
  tags?: string[];
  subject?: string;
}

export interface BulkChanges {
  status?: CaseStatus;
  priority?: CasePriority;
  assignee_id?: string | null;
  team_id?: string | null;
  add_tags?: string[];
  remove_tags?: string[];
}

export interface NewCase {
  customer: { email: string; name?: string };
  subject: string;
  category: CaseCategory;
  priority: CasePriority;
  channel: Channel;
  message: { body: string; visibility: Visibility };
}

export interface View {
  id: string;
  name: string;
  kind: 'builtin' | 'saved';
  shared?: boolean;
  filters: CaseFilters;
  sort: CaseSort;
  count: number | null;
}

export interface CustomerSummary {
  id: string;
  name: string;
  organization: string;
  primary_email: string | null;
}

export interface CustomerIdentity {
  id: string;
  value: string;
  is_primary: boolean;
  undeliverable: boolean;
}

export interface PostalAddress {
  line1: string;
  line2?: string;
  city: string;
  region?: string;
  postal_code: string;
  country: string;
}

export interface Customer {
  id: string;
  name: string;
  organization: string;
  emails: CustomerIdentity[];
  phones: CustomerIdentity[];
  postal_address: PostalAddress | null;
  language: string;
  time_zone: string;
  preferred_channel: PreferredChannel;
  correspondence_format: CorrespondenceFormat;
  notes: string;
  tags: string[];
  /** Service tier (lower-case slug); older servers leave it out. */
  tier?: string | null;
  merged_into_id?: string | null;
  version: number;
  created_at?: string;
  updated_at?: string;
}

export interface CustomerChanges {
  name?: string;
  organization?: string;
  notes?: string;
  tags?: string[];
  /** null removes the tier. */
  tier?: string | null;
  language?: string;
  time_zone?: string;
  preferred_channel?: PreferredChannel;
  correspondence_format?: CorrespondenceFormat;
  /** null removes the address. */
  postal_address?: PostalAddress | null;
}

export type IdentityKind = 'email' | 'phone';

export interface NewIdentity {
  kind: IdentityKind;
  value: string;
  is_primary?: boolean;
}

/** What an agent may change about themselves (PATCH /me). */
export interface MeChanges {
  name?: string;
  /** BCP 47 language tag. */
  locale?: string;
}

/** One entry of a customer's timeline across all their cases. */
export interface TimelineItem {
  kind: 'event' | 'message' | 'case';
  id: string;
  case: { id: string; number: number; subject: string; status: CaseStatus };
  created_at: string;
  event?: CaseEvent;
  message?: Message;
}

export interface CustomerMerge {
  id: string;
  source_customer_id: string;
  target_customer_id: string;
  moved?: { identity_ids: string[]; case_ids: string[]; tags_added: string[] };
  merged_by?: string | null;
  merged_at: string;
  undone_by?: string | null;
  undone_at: string | null;
}

export interface SearchResults {
  cases: CaseRow[];
  customers: CustomerSummary[];
}

export interface Queue {
  id: string;
  name: string;
  categories: CaseCategory[];
  team_id?: string;
}

export interface Team {
  id: string;
  name: string;
  description: string;
  auto_assign: boolean;
  members: Ref[];
  queues: Queue[];
}

export interface Invitation {
  agent: Agent;
  /** Holds the secret token; null when an Idempotency-Key replay answers. */
  invite_url: string | null;
}

export interface ApiToken {
  id: string;
  name: string;
  agent_id?: string;
  token_prefix: string;
  created_by?: string | null;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
}

export interface CreatedApiToken {
  api_token: ApiToken;
  /** The secret, shown once; null when an Idempotency-Key replay answers. */
  secret: string | null;
}

// ---------- email channel ----------

/** A mailbox: an address Baton receives mail at (SMTP, and optionally fetched over IMAP). */
export interface MailboxImap {
  host: string;
  port: number;
  tls: boolean;
  username: string;
  folder: string;
  move_to: string | null;
  /** The password is write-only: the server only says whether one is stored. */
  has_password: boolean;
  last_sync_at: string | null;
  last_error: string | null;
}

export interface Mailbox {
  id: string;
  address: string;
  name: string;
  team_id: string | null;
  category: CaseCategory;
  language: string;
  acknowledge: boolean;
  ack_subject: string | null;
  ack_body: string | null;
  active: boolean;
  imap: MailboxImap | null;
  created_at: string;
  updated_at: string;
}

export interface MailboxImapInput {
  host: string;
  port: number;
  tls: boolean;
  username: string;
  /** Only when set or changed; left out, the stored password stays. */
  password?: string;
  folder?: string;
  move_to?: string | null;
}

export interface NewMailbox {
  address: string;
  name: string;
  team_id?: string | null;
  category?: CaseCategory;
  language?: string;
  acknowledge?: boolean;
  ack_subject?: string | null;
  ack_body?: string | null;
  imap?: MailboxImapInput;
}

export interface MailboxChanges extends Partial<Omit<NewMailbox, 'imap'>> {
  active?: boolean;
  /** null removes IMAP fetching. */
  imap?: MailboxImapInput | null;
}

export const INBOUND_MAIL_STATUSES = ['quarantined', 'ignored', 'processed', 'received'] as const;
export type InboundMailStatus = (typeof INBOUND_MAIL_STATUSES)[number];

/** A received message as the intake stored it (problem mail: quarantined or ignored ones). */
export interface InboundMail {
  id: string;
  mailbox_id: string;
  mailbox_address: string | null;
  source: 'smtp' | 'imap';
  status: InboundMailStatus;
  reason_code: string | null;
  reason: string | null;
  from_address: string | null;
  subject: string | null;
  message_id_header: string | null;
  size_bytes: number;
  case_id: string | null;
  case_number: number | null;
  /** Failed processing attempts (the intake quarantines after several). */
  attempts?: number;
  received_at: string;
  processed_at: string | null;
  auth_results: Record<string, unknown> | null;
}

export interface InboundMailDetail extends InboundMail {
  /** The raw header block: shown as preformatted text, never as HTML. */
  headers: string;
}

export const OUTBOUND_MAIL_KINDS = ['reply', 'acknowledgement', 'notification', 'transcript', 'outreach'] as const;
export type OutboundMailKind = (typeof OUTBOUND_MAIL_KINDS)[number];
export const OUTBOUND_MAIL_STATUSES = ['queued', 'sent', 'kept', 'failed', 'suppressed'] as const;
export type OutboundMailStatus = (typeof OUTBOUND_MAIL_STATUSES)[number];

export interface OutboundMail {
  id: string;
  kind: OutboundMailKind;
  case_id: string | null;
  case_number: number | null;
  from: string;
  to: string[];
  cc: string[];
  reply_to: string | null;
  subject: string;
  message_id_header: string;
  in_reply_to: string | null;
  status: OutboundMailStatus;
  attempts: number;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface OutboundMailDetail extends OutboundMail {
  body_text: string;
  /** Built by Baton, still shown only in a sandboxed frame. */
  body_html: string | null;
  attachments: { filename: string; size: number }[];
}

export interface EmailAddress {
  address: string;
  name?: string | null;
}

export type EmailAuthVerdict = 'pass' | 'fail' | 'none';

/** SPF, DKIM and DMARC results of a received message; each result is usually a word (pass, fail, softfail, none). */
export interface EmailAuth {
  spf?: unknown;
  dkim?: unknown;
  dmarc?: unknown;
  verdict: EmailAuthVerdict;
  /** False when the server does not check (then the verdict is none). */
  checked?: boolean;
  /** The domains the results speak for (display only). */
  spf_domain?: string | null;
  dkim_domains?: string[] | null;
  dmarc_domain?: string | null;
}

/** `metadata.email` of a case message that arrived (or left) by email. */
export interface MessageEmailMeta {
  mailbox_id?: string | null;
  inbound_mail_id?: string | null;
  message_id?: string | null;
  from?: EmailAddress | null;
  /** Addresses arrive as objects or as plain strings; both are shown. */
  to?: (EmailAddress | string)[] | null;
  cc?: (EmailAddress | string)[] | null;
  reply_to?: EmailAddress | string | (EmailAddress | string)[] | null;
  subject?: string | null;
  date?: string | null;
  auth?: EmailAuth | null;
  has_html?: boolean;
  remote_images?: boolean;
  /** The message without quoted history and signature (plain text). */
  visible_text?: string | null;
  /** An automatic message (auto-reply, bulk, list): a flag, or the signals that marked it. */
  auto?: boolean | Record<string, boolean> | null;
  forwarded?: boolean;
  /** The stored text was cut at the case limit (the raw message has all of it). */
  truncated?: boolean;
  /** The email came after its case was closed and opened this follow-up of case number N. */
  follow_up_of?: number | null;
}

/** GET /messages/:id/email: the HTML part, sanitized by the server, and the full headers. */
export interface MessageEmail {
  message_id: string;
  html: string | null;
  /** The HTML was cut at the server's size limit. */
  html_truncated?: boolean;
  has_remote_images: boolean;
  from?: EmailAddress | null;
  to?: (EmailAddress | string)[] | null;
  cc?: (EmailAddress | string)[] | null;
  reply_to?: EmailAddress | string | (EmailAddress | string)[] | null;
  subject?: string | null;
  date?: string | null;
  message_id_header?: string | null;
  auth?: EmailAuth | null;
  /** Header fields by lower-cased name (first value). */
  headers?: Record<string, string> | null;
}

export interface EmailPreferences {
  on_assignment: boolean;
  on_customer_reply: boolean;
}

/** The email lists answer `{items, next_cursor}`. */
export interface ItemPage<T> {
  items: T[];
  next_cursor?: string | null;
}
