-- Cases, messages, attachments, the append-only case events, followers,
-- saved views and customer status links.

CREATE TABLE case_number_counters (
  workspace_id uuid PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
  next_number integer NOT NULL DEFAULT 1001
);

CREATE TABLE cases (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  number integer NOT NULL,
  subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 300),
  status text NOT NULL DEFAULT 'new'
    CHECK (status IN ('new', 'open', 'pending', 'on_hold', 'solved', 'closed')),
  priority text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  category text NOT NULL DEFAULT 'general'
    CHECK (category IN ('billing', 'payment', 'dispute', 'refund', 'technical', 'general')),
  channel text NOT NULL
    CHECK (channel IN ('web', 'email', 'chat', 'phone', 'letter', 'social', 'walk_in', 'api')),
  customer_id uuid NOT NULL REFERENCES customers(id),
  team_id uuid REFERENCES teams(id) ON DELETE SET NULL,
  queue_id uuid REFERENCES queues(id) ON DELETE SET NULL,
  assignee_id uuid REFERENCES agents(id) ON DELETE SET NULL,
  tags text[] NOT NULL DEFAULT '{}',
  -- Set when this case was merged into another; it is then closed.
  merged_into_id uuid REFERENCES cases(id),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  last_message_at timestamptz NOT NULL DEFAULT now(),
  last_customer_message_at timestamptz,
  first_agent_reply_at timestamptz,
  solved_at timestamptz,
  closed_at timestamptz,
  search_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', subject)) STORED,
  UNIQUE (workspace_id, number)
);
CREATE INDEX cases_status_updated ON cases (workspace_id, status, updated_at DESC, id DESC);
CREATE INDEX cases_updated ON cases (workspace_id, updated_at DESC, id DESC);
CREATE INDEX cases_assignee ON cases (workspace_id, assignee_id, status, updated_at DESC);
CREATE INDEX cases_team ON cases (workspace_id, team_id, status, updated_at DESC);
CREATE INDEX cases_customer ON cases (workspace_id, customer_id, status);
CREATE INDEX cases_tags ON cases USING gin (tags);
CREATE INDEX cases_search ON cases USING gin (search_vector);

CREATE TABLE case_followers (
  case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  agent_id uuid NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, agent_id)
);

CREATE TABLE messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  visibility text NOT NULL CHECK (visibility IN ('public', 'internal')),
  author_type text NOT NULL CHECK (author_type IN ('customer', 'agent', 'system')),
  author_agent_id uuid REFERENCES agents(id) ON DELETE SET NULL,
  author_customer_id uuid REFERENCES customers(id),
  channel text NOT NULL
    CHECK (channel IN ('web', 'email', 'chat', 'phone', 'letter', 'social', 'walk_in', 'api', 'internal')),
  body_text text NOT NULL CHECK (length(body_text) <= 100000),
  -- Channel-specific data (email headers, call duration, ...).
  metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  search_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', left(body_text, 20000))) STORED,
  CHECK (author_type <> 'customer' OR visibility = 'public'),
  CHECK (author_type <> 'agent' OR author_agent_id IS NOT NULL)
);
CREATE INDEX messages_case ON messages (case_id, created_at, id);
CREATE INDEX messages_search ON messages USING gin (search_vector);

CREATE TABLE attachments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  message_id uuid REFERENCES messages(id) ON DELETE CASCADE,
  -- Content-addressed: the file lives at files/<sha256[0:2]>/<sha256>.
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
  filename text NOT NULL CHECK (length(filename) BETWEEN 1 AND 255),
  content_type text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX attachments_message ON attachments (message_id);

CREATE TABLE case_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  type text NOT NULL,
  actor_type text NOT NULL CHECK (actor_type IN ('agent', 'customer', 'system')),
  actor_id uuid,
  data jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_events_case ON case_events (case_id, id);
CREATE TRIGGER case_events_append_only BEFORE UPDATE OR DELETE ON case_events
  FOR EACH ROW WHEN (pg_trigger_depth() = 0) EXECUTE FUNCTION baton_refuse_change();

CREATE TABLE saved_views (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  -- NULL owner: shared with the whole workspace.
  owner_agent_id uuid REFERENCES agents(id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  filters jsonb NOT NULL,
  sort text NOT NULL DEFAULT 'updated_desc',
  position integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX saved_views_workspace ON saved_views (workspace_id, owner_agent_id);

CREATE TABLE case_status_links (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  customer_id uuid NOT NULL REFERENCES customers(id),
  token_hash text NOT NULL UNIQUE,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX case_status_links_case ON case_status_links (case_id);
