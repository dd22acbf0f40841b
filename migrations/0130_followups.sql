-- Follow-ups (issue 6 item 4): snoozed cases, the pending-reminder and check-in plan of a case,
-- follow-up settings (workspace default and per SLA policy) and agents' own reminders.
-- Timers run from the durable job queue (followups.timer); a job names what it was planned for
-- and does nothing when the row moved on, so stale jobs need no cleanup.

-- The current snooze of a case (at most one); ending a snooze deletes its row.
CREATE TABLE followup_snoozes (
  case_id uuid PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  -- A new snooze of the same case gets a new id: the wake job of an earlier one is stale.
  id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
  until_at timestamptz NOT NULL,
  note text NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
  snoozed_by uuid REFERENCES agents(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX followup_snoozes_until ON followup_snoozes (workspace_id, until_at, case_id);

-- Where a case stands in its pending cycle (reminder, then auto-solve) and solve cycle (check-in).
CREATE TABLE followup_case_plans (
  case_id uuid PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  pending_cycle integer NOT NULL DEFAULT 0,
  pending_since timestamptz,
  reminder_due_at timestamptz,
  reminder_sent_at timestamptz,
  solve_due_at timestamptz,
  auto_solved_at timestamptz,
  solve_cycle integer NOT NULL DEFAULT 0,
  solved_since timestamptz,
  checkin_due_at timestamptz,
  checkin_sent_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Follow-up settings: one workspace default (sla_policy_id null) and one override per SLA policy.
CREATE TABLE followup_settings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  sla_policy_id uuid REFERENCES sla_policies(id) ON DELETE CASCADE,
  pending_reminder_after_days integer CHECK (pending_reminder_after_days BETWEEN 1 AND 365),
  pending_solve_after_days integer CHECK (pending_solve_after_days BETWEEN 1 AND 365),
  checkin_after_days integer CHECK (checkin_after_days BETWEEN 1 AND 365),
  -- null: the built-in text of the customer's language (platform i18n catalogs).
  reminder_body text CHECK (length(reminder_body) <= 5000),
  checkin_body text CHECK (length(checkin_body) <= 5000),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX followup_settings_default ON followup_settings (workspace_id) WHERE sla_policy_id IS NULL;
CREATE UNIQUE INDEX followup_settings_policy ON followup_settings (workspace_id, sla_policy_id) WHERE sla_policy_id IS NOT NULL;

-- An agent's own reminder on a case ("call back on Tuesday").
CREATE TABLE followup_reminders (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  agent_id uuid NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  created_by uuid REFERENCES agents(id) ON DELETE SET NULL,
  remind_at timestamptz NOT NULL,
  note text NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
  status text NOT NULL DEFAULT 'upcoming' CHECK (status IN ('upcoming', 'due', 'done')),
  due_at timestamptz,
  done_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX followup_reminders_agent ON followup_reminders (workspace_id, agent_id, status, remind_at, id);
CREATE INDEX followup_reminders_case ON followup_reminders (case_id);
