-- Macros and canned replies (issue 6 item 6): one click applies field changes to a case and
-- hands the composer a reply rendered from a template with case placeholders.
-- owner_agent_id NULL: shared with the workspace (supervisors and admins write those);
-- otherwise the agent's personal macro, invisible to everyone else.
CREATE TABLE macros (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  owner_agent_id uuid REFERENCES agents(id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 500),
  body text NOT NULL DEFAULT '' CHECK (length(body) <= 20000),
  visibility text NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'internal')),
  -- {status?, priority?, category?, team_id?, queue_id?, assignee?: uuid | 'me' | null, add_tags?, remove_tags?}
  changes jsonb NOT NULL DEFAULT '{}'::jsonb,
  usage_count integer NOT NULL DEFAULT 0,
  last_used_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  created_by uuid REFERENCES agents(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- One name per scope: per agent for personal macros, per workspace for shared ones.
CREATE UNIQUE INDEX macros_personal_name ON macros (workspace_id, owner_agent_id, lower(name)) WHERE owner_agent_id IS NOT NULL;
CREATE UNIQUE INDEX macros_shared_name ON macros (workspace_id, lower(name)) WHERE owner_agent_id IS NULL;
-- The list (shared + own, by name, keyset on lower(name), id).
CREATE INDEX macros_list ON macros (workspace_id, lower(name), id);
