-- Outbound mail (issue 3): the Auto-Submitted value (RFC 3834) composing adds to automatic mail.
-- Stored rather than derived from the kind, so whoever queues the mail decides (an acknowledgement
-- is auto-replied, a notification auto-generated, an agent's reply carries none).
ALTER TABLE outbound_mail
  ADD COLUMN auto_submitted text CHECK (auto_submitted IN ('auto-replied', 'auto-generated'));
