import type { Generated } from 'kysely';

import type { JsonWithDefault, Timestamp } from '../../platform/schema.js';

export interface WorkspaceSettings {
  /** Join a new contact to the customer's open case of the same category (issue 2, item 8). */
  continuity?: { enabled: boolean; windowDays: number };
  /** Lifetime of customer status links, in days. */
  statusLinkDays?: number;
}

export interface WorkspacesTable {
  id: Generated<string>;
  name: string;
  slug: string;
  settings: JsonWithDefault<WorkspaceSettings>;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface WorkspaceTables {
  workspaces: WorkspacesTable;
}
