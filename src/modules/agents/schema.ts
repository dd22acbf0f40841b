import type { Generated } from 'kysely';
import type { Timestamp } from '../../platform/schema.js';

export type AgentRole = 'admin' | 'supervisor' | 'agent';
export type AgentStatus = 'invited' | 'active' | 'deactivated';
export type Presence = 'online' | 'away' | 'offline';

export interface AgentsTable {
  id: Generated<string>;
  workspace_id: string;
  email: string;
  name: string;
  role: AgentRole;
  status: Generated<AgentStatus>;
  password_hash: string | null;
  presence: Generated<Presence>;
  presence_at: Timestamp | null;
  capacity: Generated<number>;
  locale: Generated<string>;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface AgentInvitationsTable {
  id: Generated<string>;
  workspace_id: string;
  agent_id: string;
  token_hash: string;
  expires_at: Timestamp;
  accepted_at: Timestamp | null;
  created_by: string | null;
  created_at: Generated<Timestamp>;
}

export interface TeamsTable {
  id: Generated<string>;
  workspace_id: string;
  name: string;
  description: Generated<string>;
  auto_assign: Generated<boolean>;
  created_at: Generated<Timestamp>;
  updated_at: Generated<Timestamp>;
}

export interface QueuesTable {
  id: Generated<string>;
  workspace_id: string;
  team_id: string;
  name: string;
  categories: Generated<string[]>;
  created_at: Generated<Timestamp>;
}

export interface TeamMembersTable {
  team_id: string;
  agent_id: string;
  workspace_id: string;
  created_at: Generated<Timestamp>;
}

export interface AgentSessionsTable {
  id: Generated<string>;
  workspace_id: string;
  agent_id: string;
  token_hash: string;
  csrf_token: string;
  ip: string | null;
  user_agent: string | null;
  created_at: Generated<Timestamp>;
  last_seen_at: Generated<Timestamp>;
  expires_at: Timestamp;
}

export interface ApiTokensTable {
  id: Generated<string>;
  workspace_id: string;
  agent_id: string;
  name: string;
  token_hash: string;
  token_prefix: string;
  created_by: string | null;
  created_at: Generated<Timestamp>;
  last_used_at: Timestamp | null;
  expires_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface AssignmentCursorsTable {
  team_id: string;
  workspace_id: string;
  last_agent_id: string | null;
  updated_at: Generated<Timestamp>;
}

export interface AgentTables {
  agents: AgentsTable;
  agent_invitations: AgentInvitationsTable;
  teams: TeamsTable;
  queues: QueuesTable;
  team_members: TeamMembersTable;
  agent_sessions: AgentSessionsTable;
  api_tokens: ApiTokensTable;
  assignment_cursors: AssignmentCursorsTable;
}
