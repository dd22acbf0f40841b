-- A customer's identities are listed in the order they were added. created_at is
-- clock_timestamp(), but the embedded database's clock ticks in milliseconds: two identities added
-- within one tick tied and the random id decided their order (and which one became primary when
-- the primary was removed). A sequence numbers additions exactly. Existing rows have none (no
-- table rewrite) and keep their order by created_at and id.
CREATE SEQUENCE customer_identities_added_seq;
ALTER TABLE customer_identities ADD COLUMN added bigint;
ALTER TABLE customer_identities ALTER COLUMN added SET DEFAULT nextval('customer_identities_added_seq');
ALTER SEQUENCE customer_identities_added_seq OWNED BY customer_identities.added;
