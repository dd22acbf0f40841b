-- The sanitized HTML part and the header fields of each received email message, served by
-- GET /messages/:id/email. Kept out of messages.metadata so conversation lists stay small; the
-- raw message itself stays in inbound_mail.
CREATE TABLE email_message_bodies (
  message_id uuid PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  inbound_mail_id uuid REFERENCES inbound_mail(id) ON DELETE SET NULL,
  -- Sanitized (allowlist) HTML with cid: sources as received; rewritten to signed links when served.
  html text,
  -- The HTML was cut at the size limit (the raw message keeps all of it).
  html_truncated boolean NOT NULL DEFAULT false,
  -- Header fields by lower-cased name (first value), as the parser bounded them.
  headers jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX email_message_bodies_inbound ON email_message_bodies (inbound_mail_id);
