-- Billing state beside every conversation (issue 5). Money is integer minor units with an
-- ISO 4217 currency code, never floats. Records arrive from a connector (ledger = Baton's own
-- records, stripe = webhooks) or the API / CSV import.

-- Per workspace: which connector, Stripe credentials (encrypted with the instance secret),
-- proactive outreach switches and templates.
CREATE TABLE billing_settings (
  workspace_id uuid PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
  connector text NOT NULL DEFAULT 'ledger' CHECK (connector IN ('ledger', 'stripe')),
  stripe_api_key_enc text,
  -- Several webhook signing secrets are accepted at once during a rotation.
  stripe_webhook_secrets_enc text[] NOT NULL DEFAULT '{}',
  stripe_api_base text,
  outreach jsonb NOT NULL DEFAULT '{}'::jsonb,
  triage jsonb NOT NULL DEFAULT '{}'::jsonb,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Approval limits per role and currency; a missing row falls back to the built-in defaults.
CREATE TABLE billing_approval_limits (
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('agent', 'supervisor', 'admin')),
  currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  max_minor bigint NOT NULL CHECK (max_minor >= 0),
  PRIMARY KEY (workspace_id, role, currency)
);

CREATE TABLE billing_accounts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  customer_id uuid NOT NULL REFERENCES customers(id),
  source text NOT NULL CHECK (source IN ('ledger', 'stripe', 'import')),
  -- The processor's id (Stripe cus_...), or the id in the source system of an import.
  external_id text,
  name text,
  email text,
  currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  -- Credit the customer holds (granted credits not yet applied), never negative.
  credit_balance_minor bigint NOT NULL DEFAULT 0 CHECK (credit_balance_minor >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, source, external_id)
);
CREATE INDEX billing_accounts_customer ON billing_accounts (workspace_id, customer_id);

CREATE TABLE billing_subscriptions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  account_id uuid NOT NULL REFERENCES billing_accounts(id) ON DELETE CASCADE,
  external_id text,
  plan_name text NOT NULL,
  status text NOT NULL
    CHECK (status IN ('trialing', 'active', 'past_due', 'canceled', 'unpaid', 'incomplete', 'incomplete_expired', 'paused')),
  price_minor bigint NOT NULL CHECK (price_minor >= 0),
  currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  billing_interval text NOT NULL DEFAULT 'month' CHECK (billing_interval IN ('day', 'week', 'month', 'year')),
  current_period_end timestamptz,
  cancel_at_period_end boolean NOT NULL DEFAULT false,
  -- Creation time of the processor event last applied: an older event arriving late is ignored.
  source_event_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, external_id)
);
CREATE INDEX billing_subscriptions_account ON billing_subscriptions (account_id);

CREATE TABLE billing_invoices (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  account_id uuid NOT NULL REFERENCES billing_accounts(id) ON DELETE CASCADE,
  subscription_id uuid REFERENCES billing_subscriptions(id) ON DELETE SET NULL,
  external_id text,
  number text,
  status text NOT NULL CHECK (status IN ('draft', 'open', 'paid', 'void', 'uncollectible')),
  currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  total_minor bigint NOT NULL CHECK (total_minor >= 0),
  amount_paid_minor bigint NOT NULL DEFAULT 0 CHECK (amount_paid_minor >= 0),
  -- What is still owed: total - paid - waived. Fee waivers lower it; it never goes below zero.
  amount_due_minor bigint NOT NULL CHECK (amount_due_minor >= 0),
  issued_at timestamptz NOT NULL DEFAULT now(),
  due_at timestamptz,
  paid_at timestamptz,
  source_event_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, external_id),
  UNIQUE (workspace_id, number)
);
CREATE INDEX billing_invoices_account ON billing_invoices (account_id, issued_at DESC);

CREATE TABLE billing_invoice_lines (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  invoice_id uuid NOT NULL REFERENCES billing_invoices(id) ON DELETE CASCADE,
  position integer NOT NULL,
  description text NOT NULL CHECK (length(description) BETWEEN 1 AND 500),
  quantity integer NOT NULL DEFAULT 1 CHECK (quantity > 0),
  unit_amount_minor bigint NOT NULL,
  amount_minor bigint NOT NULL,
  -- A fee line (late fee, failed-payment fee) may be waived.
  is_fee boolean NOT NULL DEFAULT false,
  UNIQUE (invoice_id, position)
);

CREATE TABLE billing_payments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  account_id uuid NOT NULL REFERENCES billing_accounts(id) ON DELETE CASCADE,
  invoice_id uuid REFERENCES billing_invoices(id) ON DELETE SET NULL,
  -- The processor's charge id (ch_...) or the ledger's own reference.
  external_id text,
  processor_reference text,
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
  method_summary text,
  failure_code text,
  failure_message text,
  -- Maintained by the billing_refunds trigger below, so no code path can refund more than was
  -- paid: the CHECK fails the refund's transaction.
  refunded_minor bigint NOT NULL DEFAULT 0,
  disputed boolean NOT NULL DEFAULT false,
  paid_at timestamptz NOT NULL DEFAULT now(),
  source_event_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, external_id),
  CONSTRAINT billing_payments_refund_within_paid CHECK (
    refunded_minor >= 0 AND refunded_minor <= amount_minor AND (status = 'succeeded' OR refunded_minor = 0)
  )
);
CREATE INDEX billing_payments_account ON billing_payments (account_id, paid_at DESC);
CREATE INDEX billing_payments_failed ON billing_payments (workspace_id, account_id, paid_at DESC) WHERE status = 'failed';

-- Money actions asked for from a case: refund, account credit, fee waiver. Above the requester's
-- approval limit a second person approves; the requester can never approve their own.
CREATE TABLE billing_money_actions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  customer_id uuid NOT NULL REFERENCES customers(id),
  account_id uuid NOT NULL REFERENCES billing_accounts(id) ON DELETE CASCADE,
  case_id uuid REFERENCES cases(id) ON DELETE SET NULL,
  kind text NOT NULL CHECK (kind IN ('refund', 'credit', 'fee_waiver')),
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
  payment_id uuid REFERENCES billing_payments(id),
  invoice_id uuid REFERENCES billing_invoices(id),
  status text NOT NULL CHECK (status IN ('pending_approval', 'approved', 'rejected', 'completed', 'failed')),
  requested_by uuid NOT NULL REFERENCES agents(id),
  decided_by uuid REFERENCES agents(id),
  decided_at timestamptz,
  decision_note text,
  failure_message text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (decided_by IS NULL OR decided_by <> requested_by),
  CHECK (kind <> 'refund' OR payment_id IS NOT NULL),
  CHECK (kind <> 'fee_waiver' OR invoice_id IS NOT NULL)
);
CREATE INDEX billing_money_actions_pending ON billing_money_actions (workspace_id, created_at) WHERE status = 'pending_approval';
CREATE INDEX billing_money_actions_case ON billing_money_actions (case_id, created_at);
CREATE INDEX billing_money_actions_customer ON billing_money_actions (workspace_id, customer_id, created_at DESC);

CREATE TABLE billing_refunds (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  account_id uuid NOT NULL REFERENCES billing_accounts(id) ON DELETE CASCADE,
  payment_id uuid NOT NULL REFERENCES billing_payments(id) ON DELETE CASCADE,
  money_action_id uuid REFERENCES billing_money_actions(id),
  external_id text,
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'canceled')),
  reason text,
  source_event_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, external_id),
  UNIQUE (money_action_id)
);
CREATE INDEX billing_refunds_payment ON billing_refunds (payment_id);

-- A pending or succeeded refund counts against its payment. The increment form keeps racing
-- refunds correct: the second UPDATE waits for the first and re-reads refunded_minor.
CREATE FUNCTION billing_refunds_count() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_counts bigint := 0;
  new_counts bigint := 0;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status IN ('pending', 'succeeded') THEN
    old_counts := OLD.amount_minor;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status IN ('pending', 'succeeded') THEN
    new_counts := NEW.amount_minor;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.payment_id <> NEW.payment_id THEN
    RAISE EXCEPTION 'a refund cannot move to another payment';
  END IF;
  IF new_counts <> old_counts THEN
    UPDATE billing_payments SET refunded_minor = refunded_minor + new_counts - old_counts, updated_at = now()
    WHERE id = COALESCE(NEW.payment_id, OLD.payment_id);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER billing_refunds_count AFTER INSERT OR UPDATE OR DELETE ON billing_refunds
  FOR EACH ROW EXECUTE FUNCTION billing_refunds_count();

-- Account credits and fee waivers, append-only.
CREATE TABLE billing_credits (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  account_id uuid NOT NULL REFERENCES billing_accounts(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('credit', 'fee_waiver')),
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  invoice_id uuid REFERENCES billing_invoices(id),
  money_action_id uuid REFERENCES billing_money_actions(id),
  external_id text,
  reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (money_action_id),
  CHECK (kind <> 'fee_waiver' OR invoice_id IS NOT NULL)
);
CREATE INDEX billing_credits_account ON billing_credits (account_id, created_at DESC);

-- Processor webhook events, each stored once (replays have no effect).
CREATE TABLE billing_webhook_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  provider text NOT NULL CHECK (provider IN ('stripe')),
  event_id text NOT NULL,
  type text NOT NULL,
  event_created_at timestamptz NOT NULL,
  payload jsonb NOT NULL,
  status text NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'processed', 'ignored', 'failed')),
  error text,
  received_at timestamptz NOT NULL DEFAULT now(),
  processed_at timestamptz,
  UNIQUE (workspace_id, provider, event_id)
);
CREATE INDEX billing_webhook_events_pending ON billing_webhook_events (received_at) WHERE status = 'received';
