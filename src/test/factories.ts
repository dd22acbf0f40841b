import crypto from 'node:crypto';
import type { AgentRole } from '../modules/agents/schema.js';
import type { AgentActor, SystemActor } from '../platform/actor.js';
import { hashToken, randomToken } from '../platform/tokens.js';
import { getTestContext } from './harness.js';

/**
 * Test data factories: each call makes fresh rows with unique names, so tests never depend on
 * each other's data. Rows are written directly (fast; passwords are not hashed here); the
 * behaviour under test always goes through the module's service or the HTTP API.
 */
export const unique = (prefix = 'x') => `${prefix}-${crypto.randomBytes(5).toString('hex')}`;

export interface TestWorkspace {
  id: string;
  slug: string;
  system: SystemActor;
}

export async function createWorkspace(): Promise<TestWorkspace> {
  const { db } = await getTestContext();
  const slug = unique('ws');
  const row = await db
    .insertInto('workspaces')
    .values({ name: `Workspace ${slug}`, slug })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, slug, system: { kind: 'system', workspaceId: row.id, reason: 'test' } };
}

export interface TestAgent {
  id: string;
  email: string;
  workspaceId: string;
  role: AgentRole;
  actor: AgentActor;
  /** Cookie and CSRF headers for app.inject as this agent. */
  headers: Record<string, string>;
  /** Same agent through a bearer API token. */
  tokenHeaders: Record<string, string>;
}

export async function createAgent(
  workspace: { id: string },
  options: {
    role?: AgentRole;
    name?: string;
    presence?: 'online' | 'away' | 'offline';
    capacity?: number;
    status?: 'active' | 'invited' | 'deactivated';
  } = {},
): Promise<TestAgent> {
  const { db } = await getTestContext();
  const email = `${unique('agent')}@example.test`;
  const role = options.role ?? 'agent';
  const agent = await db
    .insertInto('agents')
    .values({
      workspace_id: workspace.id,
      email,
      name: options.name ?? `Agent ${email.slice(6, 12)}`,
      role,
      status: options.status ?? 'active',
      // Not a real hash: factories skip argon2 for speed; login tests create their own password.
      password_hash: options.status === 'invited' ? null : 'factory-no-login',
      presence: options.presence ?? 'online',
      capacity: options.capacity ?? 20,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const sessionToken = randomToken();
  const csrf = randomToken();
  await db
    .insertInto('agent_sessions')
    .values({
      workspace_id: workspace.id,
      agent_id: agent.id,
      token_hash: hashToken(sessionToken),
      csrf_token: csrf,
      expires_at: new Date(Date.now() + 86_400_000),
    })
    .execute();
  const apiToken = `btn_${randomToken()}`;
  await db
    .insertInto('api_tokens')
    .values({
      workspace_id: workspace.id,
      agent_id: agent.id,
      name: 'test',
      token_hash: hashToken(apiToken),
      token_prefix: apiToken.slice(0, 8),
    })
    .execute();
  return {
    id: agent.id,
    email,
    workspaceId: workspace.id,
    role,
    actor: { kind: 'agent', workspaceId: workspace.id, agentId: agent.id, role, via: 'session' },
    headers: { cookie: `baton_session=${sessionToken}`, 'x-csrf-token': csrf },
    tokenHeaders: { authorization: `Bearer ${apiToken}` },
  };
}

export async function createTeam(
  workspace: { id: string },
  options: { name?: string; memberIds?: string[]; autoAssign?: boolean; queues?: { name: string; categories?: string[] }[] } = {},
) {
  const { db } = await getTestContext();
  const team = await db
    .insertInto('teams')
    .values({ workspace_id: workspace.id, name: options.name ?? unique('Team'), auto_assign: options.autoAssign ?? false })
    .returning(['id', 'name'])
    .executeTakeFirstOrThrow();
  for (const agentId of options.memberIds ?? []) {
    await db.insertInto('team_members').values({ team_id: team.id, agent_id: agentId, workspace_id: workspace.id }).execute();
  }
  const queues = [];
  for (const q of options.queues ?? []) {
    queues.push(
      await db
        .insertInto('queues')
        .values({ workspace_id: workspace.id, team_id: team.id, name: q.name, categories: q.categories ?? [] })
        .returning(['id', 'name'])
        .executeTakeFirstOrThrow(),
    );
  }
  return { ...team, queues };
}
