-- Realtime (issue 4): the resumable event log that agents and chat visitors receive live, and the
-- live agent connections that decide an agent's presence.

-- Written only by the realtime publisher (a domain-event listener inside the outbox relay), one
-- writer at a time (transaction advisory lock), so ids are handed out in commit order: a reader
-- that has seen id N has seen every id below N. Clients resume from the last id they received.
-- Rows are pruned after a retention window; nothing is ever updated.
CREATE TABLE realtime_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  type text NOT NULL CHECK (length(type) BETWEEN 1 AND 100),
  case_id uuid,
  -- The domain event it was made from: a relay that dies mid-batch and is taken over does not
  -- publish the same event twice.
  domain_event_id bigint UNIQUE,
  data jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX realtime_events_workspace ON realtime_events (workspace_id, id);
CREATE INDEX realtime_events_created ON realtime_events (created_at);
CREATE TRIGGER realtime_events_append_only BEFORE UPDATE ON realtime_events
  FOR EACH ROW WHEN (pg_trigger_depth() = 0) EXECUTE FUNCTION baton_refuse_change();

-- One row per open agent WebSocket, in whichever process holds it. An agent is online while one
-- of their connections is online (away while all are away) and offline when none is left;
-- a connection whose process stopped refreshing it (crash) is swept after a timeout.
CREATE TABLE realtime_connections (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  agent_id uuid NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  process_id text NOT NULL CHECK (length(process_id) <= 100),
  status text NOT NULL CHECK (status IN ('online', 'away')),
  connected_at timestamptz NOT NULL DEFAULT now(),
  seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX realtime_connections_agent ON realtime_connections (workspace_id, agent_id);
CREATE INDEX realtime_connections_seen ON realtime_connections (seen_at);
