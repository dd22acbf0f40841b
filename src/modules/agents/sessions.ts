import type { Db } from '../../db/database.js';
import type { AgentActor } from '../../platform/actor.js';
import { RateLimitedError, unauthenticated } from '../../platform/errors.js';
import { hitRateLimit, refundRateLimitHit, resetRateLimit, type RateLimitRule } from '../../platform/rate-limit.js';
import { hashToken, randomToken } from '../../platform/tokens.js';
import { findAgentForLogin, getAgentRow, updateAgentRow } from './agent-store.js';
import { SESSION_IDLE_MS } from './authentication.js';
import { verifyPassword } from './passwords.js';
import { countLiveSessions, deleteOwnSession, insertSession, sessionCsrfToken, workspaceSummary } from './session-store.js';
import { agentView, type AgentRow, type SessionView } from './views.js';

/** Login, logout and the current session. */

export interface ClientInfo {
  ip: string;
  userAgent: string | undefined;
}

export interface StartedSession {
  /** The cookie value; only its hash is stored. */
  token: string;
  expiresAt: Date;
  body: SessionView;
}

const LOGIN_WINDOW_SECONDS = 15 * 60;
/** Failed logins allowed per window: per email from one address, and per address overall. */
export const LOGIN_LIMITS = { perEmailAndIp: 5, perIp: 20 } as const;

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export function loginRules(email: string, ip: string): { ip: RateLimitRule; emailAndIp: RateLimitRule } {
  return {
    ip: { bucket: `login:ip:${ip}`, limit: LOGIN_LIMITS.perIp, windowSeconds: LOGIN_WINDOW_SECONDS },
    emailAndIp: { bucket: `login:email-ip:${email}|${ip}`, limit: LOGIN_LIMITS.perEmailAndIp, windowSeconds: LOGIN_WINDOW_SECONDS },
  };
}

/** hitRateLimit with an error code that names what was throttled. */
export async function throttle(db: Db, rule: RateLimitRule, code: string, now = new Date()): Promise<void> {
  try {
    await hitRateLimit(db, rule, now);
  } catch (error) {
    if (error instanceof RateLimitedError) throw new RateLimitedError(code, error.message, error.retryAfterSeconds);
    throw error;
  }
}

/**
 * Every attempt is counted before the password is checked (atomic under concurrent guessing);
 * a success then takes its hit back from the address bucket and clears the email bucket, so in
 * effect only failures count. Unknown emails, invited and deactivated agents all get the same
 * answer after the same argon2 work.
 */
export async function login(db: Db, input: { email: string; password: string }, client: ClientInfo): Promise<StartedSession> {
  const email = normalizeEmail(input.email);
  const rules = loginRules(email, client.ip);
  const now = new Date();
  await throttle(db, rules.ip, 'auth.too_many_attempts', now);
  await throttle(db, rules.emailAndIp, 'auth.too_many_attempts', now);
  const agent = await findAgentForLogin(db, email);
  const passwordOk = await verifyPassword(input.password, agent?.password_hash ?? null);
  if (!agent || !passwordOk || agent.status !== 'active') {
    throw unauthenticated('auth.invalid_credentials', 'Wrong email or password');
  }
  await resetRateLimit(db, rules.emailAndIp.bucket);
  await refundRateLimitHit(db, rules.ip, now);
  return startSession(db, agent, client);
}

export async function startSession(db: Db, agent: AgentRow, client: ClientInfo): Promise<StartedSession> {
  const token = randomToken();
  const csrfToken = randomToken();
  const expiresAt = new Date(Date.now() + SESSION_IDLE_MS);
  await insertSession(db, {
    workspaceId: agent.workspace_id,
    agentId: agent.id,
    tokenHash: hashToken(token),
    csrfToken,
    ip: client.ip.slice(0, 100),
    userAgent: client.userAgent?.slice(0, 500) ?? null,
    expiresAt,
  });
  const workspace = await workspaceSummary(db, agent.workspace_id);
  return { token, expiresAt, body: { agent: agentView(agent), workspace, csrf_token: csrfToken } };
}

/** The signed-in agent, their workspace and (for cookie sessions) the CSRF token to send back. */
export async function currentSession(db: Db, actor: AgentActor, sessionId: string | undefined): Promise<SessionView> {
  const agent = await getAgentRow(db, actor, actor.agentId, 'agent.read');
  const workspace = await workspaceSummary(db, actor.workspaceId);
  const csrf = actor.via === 'session' && sessionId ? await sessionCsrfToken(db, actor, sessionId) : null;
  return { agent: agentView(agent), workspace, csrf_token: csrf };
}

/** Ends this session; an agent with no session left goes offline, so round-robin skips them. */
export async function logout(db: Db, actor: AgentActor, sessionId: string | undefined): Promise<void> {
  if (!sessionId) return;
  await deleteOwnSession(db, actor, sessionId);
  if ((await countLiveSessions(db, actor, actor.agentId)) === 0) {
    // Every agent may change their own presence.
    await updateAgentRow(db, actor, actor.agentId, 'agent.read', { presence: 'offline', presence_at: new Date() });
  }
}
