-- Email channel (issue 3): mailboxes, raw inbound mail (stored before SMTP answers 250),
-- Message-ID threading map, outbound mail (the durable send queue and the "sent mail" viewer),
-- IMAP sync state, acknowledgement throttling and agent notification preferences.

CREATE TABLE mailboxes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  -- Lower-cased; unique across the installation because SMTP routes by it before any workspace is known.
  address text NOT NULL UNIQUE CHECK (length(address) BETWEEN 3 AND 254 AND address = lower(address)),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  team_id uuid REFERENCES teams(id) ON DELETE SET NULL,
  category text NOT NULL DEFAULT 'general'
    CHECK (category IN ('billing', 'payment', 'dispute', 'refund', 'technical', 'general')),
  -- Language of automatic mail when the customer has none (en, de, ...).
  language text NOT NULL DEFAULT 'en' CHECK (length(language) BETWEEN 2 AND 10),
  acknowledge boolean NOT NULL DEFAULT true,
  -- NULL: the built-in i18n template. Placeholders {{case_number}}, {{subject}}, {{customer_name}}.
  ack_subject text CHECK (length(ack_subject) <= 300),
  ack_body text CHECK (length(ack_body) <= 20000),
  -- IMAP polling of an existing mailbox (NULL host: SMTP intake only).
  imap_host text CHECK (length(imap_host) <= 253),
  imap_port integer CHECK (imap_port BETWEEN 1 AND 65535),
  imap_tls boolean NOT NULL DEFAULT true,
  imap_username text CHECK (length(imap_username) <= 254),
  -- Encrypted with the instance secret (AES-256-GCM, base64); never returned by the API.
  imap_password_enc text,
  imap_folder text NOT NULL DEFAULT 'INBOX' CHECK (length(imap_folder) BETWEEN 1 AND 200),
  -- Move processed messages here (NULL: leave them, only flag them \Seen).
  imap_move_to text CHECK (length(imap_move_to) <= 200),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mailboxes_workspace ON mailboxes (workspace_id);

-- One row per received message, written (with its raw bytes) before SMTP answers 250 or IMAP
-- marks the message processed. A job turns it into a case message; the row keeps the outcome.
CREATE TABLE inbound_mail (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  mailbox_id uuid NOT NULL REFERENCES mailboxes(id) ON DELETE CASCADE,
  source text NOT NULL CHECK (source IN ('smtp', 'imap')),
  raw bytea NOT NULL,
  size_bytes integer NOT NULL CHECK (size_bytes >= 0),
  envelope_from text CHECK (length(envelope_from) <= 512),
  envelope_to text[] NOT NULL DEFAULT '{}',
  remote_ip text CHECK (length(remote_ip) <= 64),
  helo text CHECK (length(helo) <= 255),
  -- IMAP de-duplication: mailbox + UIDVALIDITY + UID.
  imap_uidvalidity bigint,
  imap_uid bigint,
  status text NOT NULL DEFAULT 'received'
    CHECK (status IN ('received', 'processed', 'quarantined', 'ignored')),
  -- Why it was quarantined or ignored (machine code) and a human sentence.
  reason_code text CHECK (length(reason_code) <= 100),
  reason text CHECK (length(reason) <= 1000),
  message_id_header text CHECK (length(message_id_header) <= 998),
  from_address text CHECK (length(from_address) <= 512),
  subject text CHECK (length(subject) <= 1000),
  case_id uuid REFERENCES cases(id) ON DELETE SET NULL,
  message_id uuid REFERENCES messages(id) ON DELETE SET NULL,
  -- SPF/DKIM/DMARC results (mailauth), also copied onto the case message.
  auth_results jsonb,
  attempts integer NOT NULL DEFAULT 0,
  received_at timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz
);
CREATE UNIQUE INDEX inbound_mail_imap_uid ON inbound_mail (mailbox_id, imap_uidvalidity, imap_uid)
  WHERE imap_uid IS NOT NULL;
CREATE INDEX inbound_mail_problems ON inbound_mail (workspace_id, received_at DESC) WHERE status = 'quarantined';
CREATE INDEX inbound_mail_pending ON inbound_mail (received_at) WHERE status = 'received';
CREATE INDEX inbound_mail_workspace ON inbound_mail (workspace_id, received_at DESC);

-- Every Message-ID we sent or received, mapped to its case: threading step 2.
CREATE TABLE email_message_ids (
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  message_id_header text NOT NULL CHECK (length(message_id_header) BETWEEN 1 AND 998),
  case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  direction text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, message_id_header)
);
CREATE INDEX email_message_ids_case ON email_message_ids (case_id);

-- Addresses taking part in a case by email besides the customer (CC), for replies and for the
-- subject-token rule (threading step 3).
CREATE TABLE email_case_participants (
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  address text NOT NULL CHECK (length(address) BETWEEN 3 AND 254 AND address = lower(address)),
  name text CHECK (length(name) <= 200),
  role text NOT NULL DEFAULT 'cc' CHECK (role IN ('cc', 'from')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, address)
);

-- Outgoing mail: the durable send queue (a job per row) and, without a relay, the "sent mail" viewer.
CREATE TABLE outbound_mail (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('reply', 'acknowledgement', 'notification', 'transcript', 'outreach')),
  case_id uuid REFERENCES cases(id) ON DELETE SET NULL,
  -- The case message this mail carries (replies); unique so a replayed event sends once.
  message_id uuid UNIQUE REFERENCES messages(id) ON DELETE SET NULL,
  mailbox_id uuid REFERENCES mailboxes(id) ON DELETE SET NULL,
  recipient_agent_id uuid REFERENCES agents(id) ON DELETE SET NULL,
  from_address text NOT NULL CHECK (length(from_address) <= 512),
  to_addresses text[] NOT NULL,
  cc_addresses text[] NOT NULL DEFAULT '{}',
  reply_to text CHECK (length(reply_to) <= 512),
  subject text NOT NULL CHECK (length(subject) <= 1000),
  message_id_header text NOT NULL UNIQUE CHECK (length(message_id_header) <= 998),
  in_reply_to text CHECK (length(in_reply_to) <= 998),
  references_header text CHECK (length(references_header) <= 20000),
  body_text text NOT NULL,
  body_html text,
  attachment_ids uuid[] NOT NULL DEFAULT '{}',
  -- The composed RFC 5322 message, kept once built (what was sent, byte for byte).
  raw bytea,
  status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'kept', 'failed', 'suppressed')),
  attempts integer NOT NULL DEFAULT 0,
  last_error text CHECK (length(last_error) <= 2000),
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz
);
CREATE INDEX outbound_mail_workspace ON outbound_mail (workspace_id, created_at DESC, id);
CREATE INDEX outbound_mail_case ON outbound_mail (case_id);

-- Where each IMAP mailbox got to.
CREATE TABLE imap_sync_state (
  mailbox_id uuid PRIMARY KEY REFERENCES mailboxes(id) ON DELETE CASCADE,
  uidvalidity bigint NOT NULL,
  last_uid bigint NOT NULL DEFAULT 0,
  last_sync_at timestamptz,
  last_error text CHECK (length(last_error) <= 2000)
);

-- Automatic mail sent per recipient (one acknowledgement per sender per 24 h).
CREATE TABLE email_auto_replies (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  address text NOT NULL,
  kind text NOT NULL,
  sent_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX email_auto_replies_recent ON email_auto_replies (workspace_id, address, sent_at DESC);

-- Which notification emails an agent wants (no row: both on).
CREATE TABLE agent_email_preferences (
  agent_id uuid PRIMARY KEY REFERENCES agents(id) ON DELETE CASCADE,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  on_assignment boolean NOT NULL DEFAULT true,
  on_customer_reply boolean NOT NULL DEFAULT true,
  updated_at timestamptz NOT NULL DEFAULT now()
);
