-- Incoming mail is processed in the order it arrived. received_at cannot say that alone: the
-- embedded database's clock ticks in milliseconds, two deliveries within one tick tied and the
-- random id broke the tie (a duplicate could win over the message it duplicates). A sequence
-- numbers arrivals exactly. Rows from before have none and come first, by received_at; adding a
-- column without a stored default leaves existing rows (and their raw bytes) where they are.
CREATE SEQUENCE inbound_mail_arrival_seq;
ALTER TABLE inbound_mail ADD COLUMN arrival bigint;
ALTER TABLE inbound_mail ALTER COLUMN arrival SET DEFAULT nextval('inbound_mail_arrival_seq');
ALTER SEQUENCE inbound_mail_arrival_seq OWNED BY inbound_mail.arrival;
DROP INDEX inbound_mail_pending;
CREATE INDEX inbound_mail_pending ON inbound_mail (arrival NULLS FIRST, received_at) WHERE status = 'received';
