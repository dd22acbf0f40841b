-- Billing follows customer merges (issue 5): what the billing listener moved from the source
-- customer to the target on `customer.merged`, so `customer.merge_undone` moves exactly that back.
-- One row per customer merge; the primary key makes a replayed event find it and do nothing.
CREATE TABLE billing_customer_merge_moves (
  merge_id uuid PRIMARY KEY REFERENCES customer_merges(id) ON DELETE CASCADE,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  source_customer_id uuid NOT NULL REFERENCES customers(id),
  target_customer_id uuid NOT NULL REFERENCES customers(id),
  account_ids uuid[] NOT NULL DEFAULT '{}',
  money_action_ids uuid[] NOT NULL DEFAULT '{}',
  dispute_ids uuid[] NOT NULL DEFAULT '{}',
  moved_at timestamptz NOT NULL DEFAULT now(),
  undone_at timestamptz
);
CREATE INDEX billing_customer_merge_moves_workspace ON billing_customer_merge_moves (workspace_id, moved_at);

-- Money action execution: `processing` = the processor accepted a refund but has not settled it
-- yet (Stripe answered `pending`); its webhook completes or fails the action later.
ALTER TABLE billing_money_actions DROP CONSTRAINT billing_money_actions_status_check;
ALTER TABLE billing_money_actions ADD CONSTRAINT billing_money_actions_status_check
  CHECK (status IN ('pending_approval', 'approved', 'processing', 'rejected', 'completed', 'failed'));
-- Processor calls made for the action (the execution job counts them): after the last one the
-- action fails with the error instead of staying `approved` for ever.
ALTER TABLE billing_money_actions ADD COLUMN execution_attempts integer NOT NULL DEFAULT 0;
