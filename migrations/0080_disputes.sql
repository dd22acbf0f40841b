-- Disputes (chargebacks) worked as cases of type 'dispute' up to their evidence deadline.
CREATE TABLE disputes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  customer_id uuid NOT NULL REFERENCES customers(id),
  -- The billing records it concerns, when known (billing module ids).
  account_id uuid,
  payment_id uuid,
  case_id uuid REFERENCES cases(id) ON DELETE SET NULL,
  source text NOT NULL CHECK (source IN ('stripe', 'manual')),
  external_id text,
  charge_external_id text,
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  reason text NOT NULL CHECK (reason IN ('bank_cannot_process', 'check_returned', 'credit_not_processed', 'customer_initiated',
    'debit_not_authorized', 'duplicate', 'fraudulent', 'general', 'incorrect_account_details', 'insufficient_funds',
    'noncompliant', 'product_not_received', 'product_unacceptable', 'subscription_canceled', 'unrecognized')),
  network_reason_code text,
  status text NOT NULL CHECK (status IN ('warning_needs_response', 'warning_under_review', 'warning_closed', 'needs_response',
    'under_review', 'won', 'lost', 'prevented')),
  evidence_due_at timestamptz,
  funds_withdrawn_minor bigint NOT NULL DEFAULT 0 CHECK (funds_withdrawn_minor >= 0),
  funds_reinstated_minor bigint NOT NULL DEFAULT 0 CHECK (funds_reinstated_minor >= 0),
  outcome text CHECK (outcome IN ('won', 'lost')),
  outcome_at timestamptz,
  source_event_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, external_id)
);
CREATE INDEX disputes_case ON disputes (case_id);
CREATE INDEX disputes_customer ON disputes (workspace_id, customer_id, created_at DESC);
CREATE INDEX disputes_open_due ON disputes (workspace_id, evidence_due_at) WHERE outcome IS NULL;

-- The evidence builder's staged items: prefilled from Baton's records or written by the agent.
CREATE TABLE dispute_evidence_items (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  dispute_id uuid NOT NULL REFERENCES disputes(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('receipt', 'customer_communication', 'refund_policy', 'cancellation_policy',
    'service_documentation', 'shipping_documentation', 'prior_undisputed_payments', 'customer_details', 'uncategorized')),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  body text NOT NULL DEFAULT '' CHECK (length(body) <= 200000),
  file_id uuid,
  origin text NOT NULL CHECK (origin IN ('prefill', 'agent')),
  included boolean NOT NULL DEFAULT true,
  position integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dispute_evidence_items_dispute ON dispute_evidence_items (dispute_id, position);

-- One submission per dispute, enforced here: a second submission fails on the primary key.
CREATE TABLE dispute_submissions (
  dispute_id uuid PRIMARY KEY REFERENCES disputes(id) ON DELETE CASCADE,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  packet_file_id uuid,
  packet_sha256 text NOT NULL,
  submitted_by uuid REFERENCES agents(id),
  submitted_at timestamptz NOT NULL DEFAULT now(),
  processor_response jsonb
);
