-- The delivery log of automation webhooks (CONVENTIONS.md, outbound webhooks): one row per
-- attempt, with the answer's status or the error. Append-only.
CREATE TABLE automation_webhook_deliveries (
  id bigserial PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  rule_kind text NOT NULL CHECK (rule_kind IN ('trigger', 'automation')),
  rule_id uuid NOT NULL,
  case_id uuid,
  -- One delivery (a rule's call for one event) and its attempts.
  delivery_id uuid NOT NULL,
  url text NOT NULL,
  attempt integer NOT NULL,
  -- delivered (2xx), failed (will be retried), given_up (last attempt, or not allowed / no secret).
  outcome text NOT NULL CHECK (outcome IN ('delivered', 'failed', 'given_up')),
  status_code integer,
  error text,
  duration_ms integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX automation_webhook_deliveries_rule ON automation_webhook_deliveries (workspace_id, rule_kind, rule_id, id);
CREATE INDEX automation_webhook_deliveries_delivery ON automation_webhook_deliveries (delivery_id);

CREATE TRIGGER automation_webhook_deliveries_append_only BEFORE UPDATE OR DELETE ON automation_webhook_deliveries
  FOR EACH ROW WHEN (pg_trigger_depth() = 0) EXECUTE FUNCTION baton_refuse_change();
