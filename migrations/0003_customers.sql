-- Customers, their identities (emails, phones) and recorded, undoable merges.

CREATE TABLE customers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  name text NOT NULL DEFAULT '' CHECK (length(name) <= 200),
  organization text NOT NULL DEFAULT '' CHECK (length(organization) <= 200),
  -- {line1, line2, city, region, postal_code, country}; shape validated at the edge.
  postal_address jsonb,
  language text NOT NULL DEFAULT 'en' CHECK (length(language) BETWEEN 2 AND 35),
  time_zone text NOT NULL DEFAULT 'UTC' CHECK (length(time_zone) BETWEEN 1 AND 64),
  preferred_channel text NOT NULL DEFAULT 'email'
    CHECK (preferred_channel IN ('email', 'phone', 'chat', 'web', 'letter', 'social', 'walk_in')),
  correspondence_format text NOT NULL DEFAULT 'email'
    CHECK (correspondence_format IN ('email', 'letter', 'postcard')),
  notes text NOT NULL DEFAULT '' CHECK (length(notes) <= 20000),
  tags text[] NOT NULL DEFAULT '{}',
  -- Set while this customer is merged into another (the merge can be undone).
  merged_into_id uuid REFERENCES customers(id),
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  search_vector tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', coalesce(name, '') || ' ' || coalesce(organization, ''))
  ) STORED
);
CREATE INDEX customers_workspace ON customers (workspace_id, created_at DESC, id DESC);
CREATE INDEX customers_search ON customers USING gin (search_vector);
CREATE INDEX customers_tags ON customers USING gin (tags);

CREATE TABLE customer_identities (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  customer_id uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('email', 'phone')),
  -- Normalized: emails lower-cased, phones as + and digits.
  value text NOT NULL CHECK (length(value) BETWEEN 3 AND 254),
  is_primary boolean NOT NULL DEFAULT false,
  undeliverable_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX customer_identities_value ON customer_identities (workspace_id, kind, value);
CREATE INDEX customer_identities_customer ON customer_identities (customer_id);

CREATE TABLE customer_merges (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  source_customer_id uuid NOT NULL REFERENCES customers(id),
  target_customer_id uuid NOT NULL REFERENCES customers(id),
  -- What moved, so the merge can be undone exactly: {identity_ids: [], case_ids: [], tags: []}.
  moved jsonb NOT NULL,
  merged_by uuid REFERENCES agents(id),
  merged_at timestamptz NOT NULL DEFAULT now(),
  undone_by uuid REFERENCES agents(id),
  undone_at timestamptz,
  CHECK (source_customer_id <> target_customer_id)
);
CREATE INDEX customer_merges_customers ON customer_merges (workspace_id, target_customer_id);
CREATE INDEX customer_merges_source ON customer_merges (workspace_id, source_customer_id);
