-- A customer's service tier (e.g. gold, enterprise): a lower-case slug an SLA policy can match
-- (condition customer_tiers). NULL: no tier. The slug shape is checked by the customers module
-- (normalize.ts); the table only bounds the length.
ALTER TABLE customers ADD COLUMN tier text NULL CHECK (tier IS NULL OR char_length(tier) BETWEEN 1 AND 40);

CREATE INDEX customers_tier ON customers (workspace_id, tier) WHERE tier IS NOT NULL;
