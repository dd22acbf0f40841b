-- Triggers (issue 6 item 5): rules run when a case event happens, in position order, and the
-- append-only run log of every automation rule (triggers and scheduled automations) on a case.

CREATE TABLE automation_triggers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
  enabled boolean NOT NULL DEFAULT true,
  position integer NOT NULL,
  -- Subset of case.created, case.updated, case.customer_replied, case.agent_replied, sla.warning,
  -- sla.breach, billing.event (validated by src/modules/automation/trigger-input.ts).
  events text[] NOT NULL CHECK (cardinality(events) >= 1),
  -- {all: [condition...], any: [condition...]} (src/modules/automation/rule-schema.ts).
  conditions jsonb NOT NULL DEFAULT '{"all": [], "any": []}'::jsonb,
  -- [action...] (src/modules/automation/rule-schema.ts).
  actions jsonb NOT NULL DEFAULT '[]'::jsonb,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, name)
);
CREATE INDEX automation_triggers_order ON automation_triggers (workspace_id, position, id);

-- Signing secrets of rules calling a webhook, sealed (platform/sealed-secret.ts), shown once.
CREATE TABLE automation_webhook_secrets (
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  rule_kind text NOT NULL CHECK (rule_kind IN ('trigger', 'automation')),
  rule_id uuid NOT NULL,
  sealed_secret text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (rule_kind, rule_id)
);

-- What automation rules did on a case: one row per rule that matched (with its action results)
-- or that matched but was held back (loop limit). Append-only.
CREATE TABLE automation_runs (
  id bigserial PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  rule_kind text NOT NULL CHECK (rule_kind IN ('trigger', 'automation')),
  rule_id uuid NOT NULL,
  rule_name text NOT NULL,
  case_id uuid NOT NULL,
  -- The domain event that fired a trigger (null for scheduled runs).
  event_id bigint,
  event_type text,
  -- The event a chain of trigger-caused events started from: a trigger runs once per root.
  root_key text,
  outcome text NOT NULL CHECK (outcome IN ('applied', 'skipped')),
  skip_reason text,
  action_results jsonb NOT NULL DEFAULT '[]'::jsonb,
  depth integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX automation_runs_case ON automation_runs (case_id, id);
CREATE INDEX automation_runs_root ON automation_runs (workspace_id, root_key, rule_id) WHERE root_key IS NOT NULL;

CREATE TRIGGER automation_runs_append_only BEFORE UPDATE OR DELETE ON automation_runs
  FOR EACH ROW WHEN (pg_trigger_depth() = 0) EXECUTE FUNCTION baton_refuse_change();
