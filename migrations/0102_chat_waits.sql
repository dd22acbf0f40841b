-- The widget shows the expected wait: the median time from a chat's start to its assignment over
-- the site's last days (src/modules/chat/widget-config.ts).
CREATE INDEX chat_conversations_site_assigned ON chat_conversations (site_id, assigned_at) WHERE assigned_at IS NOT NULL;
