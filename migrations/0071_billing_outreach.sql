-- Proactive outreach (issue 5): the case Baton opened or wrote on for a failed payment or an
-- opened dispute. The primary key makes replayed and repeated events find that case instead of
-- opening (or messaging) another one.
CREATE TABLE billing_outreach_cases (
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  trigger text NOT NULL CHECK (trigger IN ('payment_failed', 'dispute_opened')),
  -- billing_payments.id or disputes.id (no foreign key: either table, and the record may be re-imported).
  source_id uuid NOT NULL,
  case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, trigger, source_id)
);
CREATE INDEX billing_outreach_cases_case ON billing_outreach_cases (case_id);

-- Billing-aware triage runs once per case: a replayed case.created finds its row and does nothing.
CREATE TABLE billing_triaged_cases (
  case_id uuid PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  signals text[] NOT NULL DEFAULT '{}',
  triaged_at timestamptz NOT NULL DEFAULT now()
);
