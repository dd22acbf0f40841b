-- Indexes for the inbox listing, the views and the search box (all workspace-leading).

-- Sorting by creation (created_desc / created_asc) and keyset pages on it.
CREATE INDEX cases_created ON cases (workspace_id, created_at DESC, id DESC);

-- Queue views and the queue filter, like cases_team does for teams.
CREATE INDEX cases_queue ON cases (workspace_id, queue_id, status, updated_at DESC);

-- Customer search: prefix match on email addresses and phone numbers (LIKE 'abc%'),
-- whatever the database collation.
CREATE INDEX customer_identities_prefix ON customer_identities (workspace_id, value text_pattern_ops);

-- The priority_desc sort (urgent first, then most recently updated). The expression is written
-- exactly as src/modules/cases/listing.ts writes it, so the planner matches the two.
CREATE INDEX cases_priority ON cases (
  workspace_id,
  (CASE priority WHEN 'urgent' THEN 3 WHEN 'high' THEN 2 WHEN 'normal' THEN 1 ELSE 0 END) DESC,
  updated_at DESC,
  id DESC
);
