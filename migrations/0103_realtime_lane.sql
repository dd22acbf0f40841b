-- The realtime publisher relays domain events in a lane of its own (src/app.ts), so that a slow
-- listener of the main lane (SLA, triggers, mail) does not hold live updates back until its batch
-- commits. The lane claims from its own table: claiming domain_events rows would wait on the
-- main lane's row locks, which is the coupling this removes. recordDomainEvent writes both rows.
CREATE TABLE outbox_realtime_pending (
  event_id bigint PRIMARY KEY REFERENCES domain_events(id) ON DELETE CASCADE
);
-- Events not yet relayed at upgrade time are still live news.
INSERT INTO outbox_realtime_pending (event_id) SELECT id FROM domain_events WHERE published_at IS NULL;
