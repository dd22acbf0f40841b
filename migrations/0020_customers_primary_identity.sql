-- At most one primary email and one primary phone per customer: the inbox shows "the" primary
-- email, so two would make it arbitrary. Swaps demote first, then promote (two statements).
CREATE UNIQUE INDEX customer_identities_one_primary ON customer_identities (customer_id, kind) WHERE is_primary;
