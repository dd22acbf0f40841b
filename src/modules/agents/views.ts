import type { Selectable } from 'kysely';
import { Type, type TSchema } from 'typebox';
import type { AgentsTable, ApiTokensTable, QueuesTable, TeamsTable } from './schema.js';

/** Response shapes of the agents module (TypeBox, published in OpenAPI) and row -> view mappers. */

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });

export const AGENT_ROLES = ['admin', 'supervisor', 'agent'] as const;
export const AGENT_STATUSES = ['invited', 'active', 'deactivated'] as const;
export const PRESENCES = ['online', 'away', 'offline'] as const;

export const AgentSchema = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: Type.Enum([...AGENT_ROLES]),
  status: Type.Enum([...AGENT_STATUSES]),
  presence: Type.Enum([...PRESENCES]),
  presence_at: Nullable(DateTime),
  capacity: Type.Integer(),
  locale: Type.String(),
  created_at: DateTime,
  updated_at: DateTime,
});

export const WorkspaceSummarySchema = Type.Object({ id: Type.String(), name: Type.String(), slug: Type.String() });

export const SessionSchema = Type.Object({
  agent: AgentSchema,
  workspace: WorkspaceSummarySchema,
  csrf_token: Nullable(Type.String({ description: 'Send as X-CSRF-Token on unsafe requests; null for API tokens' })),
});

export const TeamMemberSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  email: Type.String(),
  role: Type.Enum([...AGENT_ROLES]),
  status: Type.Enum([...AGENT_STATUSES]),
  presence: Type.Enum([...PRESENCES]),
});

export const QueueSchema = Type.Object({
  id: Type.String(),
  team_id: Type.String(),
  name: Type.String(),
  categories: Type.Array(Type.String()),
  created_at: DateTime,
});

export const TeamSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  auto_assign: Type.Boolean(),
  members: Type.Array(TeamMemberSchema),
  queues: Type.Array(QueueSchema),
  created_at: DateTime,
  updated_at: DateTime,
});

export const ApiTokenSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  agent_id: Type.String(),
  token_prefix: Type.String({ description: 'The first characters of the secret, to recognise it' }),
  created_by: Nullable(Type.String()),
  created_at: DateTime,
  last_used_at: Nullable(DateTime),
  expires_at: Nullable(DateTime),
  revoked_at: Nullable(DateTime),
});

export const AuditEntrySchema = Type.Object({
  id: Type.Integer(),
  actor_type: Type.String(),
  actor_id: Nullable(Type.String()),
  action: Type.String(),
  target_type: Type.String(),
  target_id: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown()),
  created_at: DateTime,
});

export type AgentRow = Pick<
  Selectable<AgentsTable>,
  | 'id'
  | 'workspace_id'
  | 'email'
  | 'name'
  | 'role'
  | 'status'
  | 'presence'
  | 'presence_at'
  | 'capacity'
  | 'locale'
  | 'created_at'
  | 'updated_at'
>;
export const AGENT_COLUMNS = [
  'id',
  'workspace_id',
  'email',
  'name',
  'role',
  'status',
  'presence',
  'presence_at',
  'capacity',
  'locale',
  'created_at',
  'updated_at',
] as const;

export interface AgentView {
  id: string;
  email: string;
  name: string;
  role: AgentRow['role'];
  status: AgentRow['status'];
  presence: AgentRow['presence'];
  presence_at: string | null;
  capacity: number;
  locale: string;
  created_at: string;
  updated_at: string;
}

export function agentView(row: AgentRow): AgentView {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    status: row.status,
    presence: row.presence,
    presence_at: row.presence_at?.toISOString() ?? null,
    capacity: row.capacity,
    locale: row.locale,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export interface WorkspaceSummary {
  id: string;
  name: string;
  slug: string;
}

export interface SessionView {
  agent: AgentView;
  workspace: WorkspaceSummary;
  csrf_token: string | null;
}

export type TeamMemberView = Pick<AgentView, 'id' | 'name' | 'email' | 'role' | 'status' | 'presence'>;

export interface QueueView {
  id: string;
  team_id: string;
  name: string;
  categories: string[];
  created_at: string;
}

export function queueView(row: Pick<Selectable<QueuesTable>, 'id' | 'team_id' | 'name' | 'categories' | 'created_at'>): QueueView {
  return { id: row.id, team_id: row.team_id, name: row.name, categories: [...row.categories], created_at: row.created_at.toISOString() };
}

export interface TeamView {
  id: string;
  name: string;
  description: string;
  auto_assign: boolean;
  members: TeamMemberView[];
  queues: QueueView[];
  created_at: string;
  updated_at: string;
}

export type TeamRow = Pick<
  Selectable<TeamsTable>,
  'id' | 'workspace_id' | 'name' | 'description' | 'auto_assign' | 'created_at' | 'updated_at'
>;

export function teamView(row: TeamRow, members: TeamMemberView[], queues: QueueView[]): TeamView {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    auto_assign: row.auto_assign,
    members,
    queues,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export type ApiTokenRow = Pick<
  Selectable<ApiTokensTable>,
  'id' | 'name' | 'agent_id' | 'token_prefix' | 'created_by' | 'created_at' | 'last_used_at' | 'expires_at' | 'revoked_at'
>;

export interface ApiTokenView {
  id: string;
  name: string;
  agent_id: string;
  token_prefix: string;
  created_by: string | null;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
}

export function apiTokenView(row: ApiTokenRow): ApiTokenView {
  return {
    id: row.id,
    name: row.name,
    agent_id: row.agent_id,
    token_prefix: row.token_prefix,
    created_by: row.created_by,
    created_at: row.created_at.toISOString(),
    last_used_at: row.last_used_at?.toISOString() ?? null,
    expires_at: row.expires_at?.toISOString() ?? null,
    revoked_at: row.revoked_at?.toISOString() ?? null,
  };
}
