-- Scheduled automations (issue 6 item 7): time-based rules a recurring job runs every 15 minutes
-- (Zendesk "Automations", Zammad "Scheduler"), e.g. close solved cases after 4 days. Conditions and
-- actions share the trigger engine's shapes (src/modules/automation/rule-schema.ts).

CREATE TABLE scheduled_automations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
  enabled boolean NOT NULL DEFAULT true,
  -- Rules run in ascending position (then id) within a workspace.
  position integer NOT NULL,
  -- {all: [condition], any: [condition]}; "all" holds at least one hours_since_* condition
  -- (checked by src/modules/automation/scheduled/rule-input.ts).
  conditions jsonb NOT NULL,
  actions jsonb NOT NULL,
  version integer NOT NULL DEFAULT 1,
  last_run_at timestamptz,
  -- Where the next run resumes when a run stopped at its per-run bound (null: from the start).
  resume_after_case_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, name)
);
CREATE INDEX scheduled_automations_order ON scheduled_automations (workspace_id, position, id);
CREATE INDEX scheduled_automations_enabled ON scheduled_automations (workspace_id) WHERE enabled;

-- The last time each rule acted on each case, and the case's state (version, updated_at) just
-- after it did: the rule acts on the case again only once the case has changed since. Without it
-- a rule whose actions do not undo its own conditions would act every 15 minutes.
CREATE TABLE scheduled_automation_acts (
  rule_id uuid NOT NULL REFERENCES scheduled_automations(id) ON DELETE CASCADE,
  case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  case_version integer NOT NULL,
  case_updated_at timestamptz NOT NULL,
  acted_at timestamptz NOT NULL DEFAULT now(),
  times integer NOT NULL DEFAULT 1 CHECK (times > 0),
  PRIMARY KEY (rule_id, case_id)
);
CREATE INDEX scheduled_automation_acts_case ON scheduled_automation_acts (case_id);

-- The scheduled run's candidate scan (src/modules/cases/automation-candidates.ts): cases of a
-- workspace in some statuses, in id order (keyset pages), never the closed ones.
CREATE INDEX cases_status_id ON cases (workspace_id, status, id) WHERE status <> 'closed';
