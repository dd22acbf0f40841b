-- Case type (Zendesk-style question/incident/problem/task, plus dispute for chargebacks) and a
-- deadline: a dispute's evidence due date drives its case's due_at.
ALTER TABLE cases ADD COLUMN type text NOT NULL DEFAULT 'question'
  CHECK (type IN ('question', 'incident', 'problem', 'task', 'dispute'));
ALTER TABLE cases ADD COLUMN due_at timestamptz;
CREATE INDEX cases_due ON cases (workspace_id, due_at) WHERE due_at IS NOT NULL AND status NOT IN ('solved', 'closed');
CREATE INDEX cases_type ON cases (workspace_id, type, status, updated_at DESC) WHERE type <> 'question';
