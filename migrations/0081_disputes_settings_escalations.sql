-- Per-workspace texts the evidence builder quotes (refund and cancellation policy); a missing row
-- means Baton's default texts.
CREATE TABLE dispute_settings (
  workspace_id uuid PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
  refund_policy text NOT NULL CHECK (length(refund_policy) <= 20000),
  cancellation_policy text NOT NULL CHECK (length(cancellation_policy) <= 20000),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Deadline escalations already done: the primary key makes each threshold happen once per dispute,
-- whichever worker runs the job and however often.
CREATE TABLE dispute_escalations (
  dispute_id uuid NOT NULL REFERENCES disputes(id) ON DELETE CASCADE,
  threshold text NOT NULL CHECK (threshold IN ('72h', '24h')),
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  escalated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (dispute_id, threshold)
);

-- A prefilled evidence item the agent changed is theirs: re-running the prefill keeps it.
ALTER TABLE dispute_evidence_items ADD COLUMN edited_at timestamptz;
