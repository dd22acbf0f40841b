-- SLA (issue 6 items 1-2): business-hours schedules, a team's schedule, SLA policies, the running
-- clocks of each case and the append-only SLA events reports compute attainment from.

-- Business hours: an IANA zone, weekly local ranges and holidays (validated by
-- src/modules/sla/business-hours.ts; stored in its canonical form).
CREATE TABLE sla_schedules (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  time_zone text NOT NULL CHECK (length(time_zone) BETWEEN 1 AND 64),
  -- {sun: [{start, end}], mon: [...], ...}: all seven days, ranges sorted, none overlapping.
  weekly jsonb NOT NULL,
  -- [{date: 'YYYY-MM-DD', name?}] (that year) or [{month, day, name?}] (every year).
  holidays jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- The workspace's default: used by business-time policies for cases whose team has no schedule.
  is_default boolean NOT NULL DEFAULT false,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, name)
);
CREATE UNIQUE INDEX sla_schedules_one_default ON sla_schedules (workspace_id) WHERE is_default;

-- A team's business hours. Kept here (keyed by team) so the agents module's tables stay its own.
CREATE TABLE sla_team_schedules (
  team_id uuid PRIMARY KEY REFERENCES teams(id) ON DELETE CASCADE,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  schedule_id uuid NOT NULL REFERENCES sla_schedules(id) ON DELETE RESTRICT,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sla_team_schedules_schedule ON sla_team_schedules (schedule_id);

-- SLA policies, tried in position order; the first whose conditions match a case applies.
CREATE TABLE sla_policies (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
  position integer NOT NULL,
  enabled boolean NOT NULL DEFAULT true,
  -- {priority?: [...], category?: [...], team_ids?: [...], channel?: [...], customer_tags?: [...]}:
  -- every given condition must hold (each is "any of"); {} matches every case.
  conditions jsonb NOT NULL DEFAULT '{}'::jsonb,
  first_reply_minutes integer CHECK (first_reply_minutes > 0),
  next_reply_minutes integer CHECK (next_reply_minutes > 0),
  resolution_minutes integer CHECK (resolution_minutes > 0),
  time_basis text NOT NULL CHECK (time_basis IN ('business', 'calendar')),
  -- NULL: the case team's schedule, else the workspace default, else round the clock.
  schedule_id uuid REFERENCES sla_schedules(id) ON DELETE RESTRICT,
  pause_statuses text[] NOT NULL DEFAULT '{pending,on_hold}',
  warning_minutes integer NOT NULL DEFAULT 60 CHECK (warning_minutes >= 0),
  -- {warning: [action...], breach: [action...]}; actions validated by src/modules/sla/policy-input.ts.
  escalations jsonb NOT NULL DEFAULT '{"warning": [], "breach": []}'::jsonb,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, name),
  CHECK (first_reply_minutes IS NOT NULL OR next_reply_minutes IS NOT NULL OR resolution_minutes IS NOT NULL),
  CHECK (time_basis = 'business' OR schedule_id IS NULL)
);
CREATE INDEX sla_policies_order ON sla_policies (workspace_id, position, id);

-- The SLA state of one case: the policy applied (a snapshot, so later edits of the policy or of
-- business hours do not shift running clocks until the case is re-evaluated) and what the
-- listener has seen of the case.
CREATE TABLE sla_case_clocks (
  case_id uuid PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  policy_id uuid REFERENCES sla_policies(id) ON DELETE SET NULL,
  policy_version integer,
  -- {name, time_basis, warning_minutes, pause_statuses, escalations, targets} as applied.
  policy jsonb,
  -- The business-hours schedule the clocks count in (null: calendar time, 24x7).
  schedule jsonb,
  schedule_source text CHECK (schedule_source IN ('policy', 'team', 'default', 'calendar')),
  case_status text NOT NULL,
  first_replied_at timestamptz,
  -- A customer message after the first reply that no agent has answered yet (next reply runs).
  awaiting_reply_since timestamptz,
  -- The last domain event applied: a replayed or older event changes nothing.
  last_event_id bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sla_case_clocks_policy ON sla_case_clocks (policy_id);

-- One running target per case and metric (next reply and a reopened resolution start new cycles).
CREATE TABLE sla_case_targets (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  case_id uuid NOT NULL REFERENCES sla_case_clocks(case_id) ON DELETE CASCADE,
  metric text NOT NULL CHECK (metric IN ('first_reply', 'next_reply', 'resolution')),
  cycle integer NOT NULL DEFAULT 1 CHECK (cycle > 0),
  target_minutes integer NOT NULL CHECK (target_minutes > 0),
  started_at timestamptz NOT NULL,
  -- Counting since (null while paused or finished); elapsed_ms is what was counted before it,
  -- in the policy's time (business or calendar milliseconds).
  running_since timestamptz,
  paused_at timestamptz,
  elapsed_ms bigint NOT NULL DEFAULT 0 CHECK (elapsed_ms >= 0),
  due_at timestamptz,
  warn_at timestamptz,
  warned_at timestamptz,
  breached_at timestamptz,
  met_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (case_id, metric),
  CHECK (running_since IS NULL OR paused_at IS NULL)
);
CREATE INDEX sla_case_targets_due ON sla_case_targets (workspace_id, due_at, case_id)
  WHERE met_at IS NULL AND breached_at IS NULL AND due_at IS NOT NULL;
CREATE INDEX sla_case_targets_breached ON sla_case_targets (workspace_id, due_at, case_id)
  WHERE met_at IS NULL AND breached_at IS NOT NULL;

-- Append-only history of every clock: reports compute attainment from it.
CREATE TABLE sla_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  policy_id uuid,
  metric text CHECK (metric IS NULL OR metric IN ('first_reply', 'next_reply', 'resolution')),
  cycle integer,
  type text NOT NULL CHECK (type IN ('applied', 'started', 'warning', 'breached', 'met', 'paused', 'resumed', 'cancelled')),
  -- When it happened on the case's clock (a breach: its due time; a reply: the reply's time).
  occurred_at timestamptz NOT NULL,
  data jsonb NOT NULL DEFAULT '{}'::jsonb,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sla_events_outcomes ON sla_events (workspace_id, occurred_at) WHERE type IN ('met', 'breached');
CREATE INDEX sla_events_case ON sla_events (case_id, id);
CREATE TRIGGER sla_events_append_only BEFORE UPDATE OR DELETE ON sla_events
  FOR EACH ROW WHEN (pg_trigger_depth() = 0) EXECUTE FUNCTION baton_refuse_change();
