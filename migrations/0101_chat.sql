-- Chat channel (issue 4): chat sites (the widget's settings and signing secret), per-agent chat
-- capacity, visitors and conversations (each conversation is one case with channel `chat`).

CREATE TABLE chat_sites (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  -- Public: it is in the embed snippet. Unique across the installation (the widget names no workspace).
  site_key text NOT NULL UNIQUE CHECK (site_key ~ '^cs_[A-Za-z0-9_-]{20,64}$'),
  -- Pages allowed to embed the widget (https://shop.example); checked on the widget socket and
  -- sent as the frame's CSP frame-ancestors.
  allowed_origins text[] NOT NULL DEFAULT '{}',
  colour text NOT NULL DEFAULT '#1d4ed8' CHECK (colour ~ '^#[0-9a-f]{6}$'),
  greeting text NOT NULL DEFAULT '' CHECK (length(greeting) <= 500),
  prechat_question text NOT NULL DEFAULT '' CHECK (length(prechat_question) <= 200),
  -- [{id, label, category, team_id}] validated by the chat module.
  prechat_choices jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- Where chats go when no pre-chat choice names a team.
  team_id uuid REFERENCES teams(id) ON DELETE SET NULL,
  category text NOT NULL DEFAULT 'general'
    CHECK (category IN ('billing', 'payment', 'dispute', 'refund', 'technical', 'general')),
  -- The mailbox offline replies and transcripts go out from (NULL: one of the workspace's).
  mailbox_id uuid REFERENCES mailboxes(id) ON DELETE SET NULL,
  -- Refuse visitors without a valid identity token signed with the site secret.
  require_identity boolean NOT NULL DEFAULT false,
  -- HMAC secret for identity tokens, sealed with the instance secret (AES-256-GCM); shown once.
  secret_sealed text NOT NULL,
  -- The secret before the last rotation stays valid for a grace period.
  previous_secret_sealed text,
  previous_secret_expires_at timestamptz,
  secret_rotated_at timestamptz NOT NULL DEFAULT now(),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chat_sites_workspace ON chat_sites (workspace_id, created_at, id);

-- How many live chats an agent takes at once (no row: the default of the chat module).
CREATE TABLE chat_agent_settings (
  agent_id uuid PRIMARY KEY REFERENCES agents(id) ON DELETE CASCADE,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  chat_capacity integer NOT NULL CHECK (chat_capacity BETWEEN 0 AND 50),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- A visitor who started at least one conversation (anonymous visitors exist only as a signed
-- token until then). external_id: the site's user id from an identity token.
CREATE TABLE chat_visitors (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  site_id uuid NOT NULL REFERENCES chat_sites(id) ON DELETE CASCADE,
  customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  external_id text CHECK (length(external_id) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX chat_visitors_external ON chat_visitors (site_id, external_id) WHERE external_id IS NOT NULL;

CREATE TABLE chat_conversations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  site_id uuid NOT NULL REFERENCES chat_sites(id) ON DELETE CASCADE,
  visitor_id uuid NOT NULL REFERENCES chat_visitors(id) ON DELETE CASCADE,
  case_id uuid NOT NULL UNIQUE REFERENCES cases(id) ON DELETE CASCADE,
  choice_id text CHECK (length(choice_id) <= 40),
  team_id uuid REFERENCES teams(id) ON DELETE SET NULL,
  -- queued: waiting for an agent with room; active: an agent has it; ended: the visitor left or
  -- an agent closed it (the case goes on, by email when the visitor gave an address).
  state text NOT NULL CHECK (state IN ('queued', 'active', 'ended')),
  queued_at timestamptz,
  assigned_at timestamptz,
  ended_at timestamptz,
  -- Agent replies go out by email once the visitor is gone (left, or unread after a while).
  email_followup boolean NOT NULL DEFAULT false,
  -- The address the visitor gave for the follow-up (their customer's own addresses otherwise).
  followup_email text CHECK (length(followup_email) <= 254),
  visitor_seen_at timestamptz,
  visitor_read_message_id uuid,
  visitor_read_at timestamptz,
  agent_read_message_id uuid,
  agent_read_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chat_conversations_visitor ON chat_conversations (visitor_id, created_at DESC);
CREATE INDEX chat_conversations_queue ON chat_conversations (workspace_id, queued_at) WHERE state = 'queued';

-- Files a visitor uploaded, so a visitor can attach only their own uploads.
CREATE TABLE chat_uploads (
  attachment_id uuid PRIMARY KEY REFERENCES attachments(id) ON DELETE CASCADE,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  visitor_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
