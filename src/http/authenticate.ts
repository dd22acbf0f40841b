import type { FastifyReply, FastifyRequest } from 'fastify';
import { authenticateApiToken, authenticateSession, SESSION_COOKIE } from '../modules/agents/authentication.js';
import type { Actor, AgentActor } from '../platform/actor.js';
import { AppError, unauthenticated } from '../platform/errors.js';
import { safeEqual } from '../platform/tokens.js';
import type { AppContext } from '../context.js';

/**
 * Route access levels, declared per route as `config: { access: ... }`:
 * - `agent`: a session cookie (with the CSRF header on unsafe methods) or a bearer API token;
 * - `public`: anyone (login, the web form, status links, which check their own tokens).
 * Routes that declare nothing are `agent`: forgetting the declaration fails closed.
 */
export type Access = 'agent' | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    actor: Actor | undefined;
    sessionId: string | undefined;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function authenticateRequest(ctx: AppContext) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const access: Access = request.routeOptions.config.access ?? 'agent';
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      const actor = match ? await authenticateApiToken(ctx.db, match[1]!) : null;
      if (!actor) throw unauthenticated('auth.invalid_token', 'The API token is not valid, expired or revoked');
      request.actor = actor;
      return;
    }
    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie) {
      const session = await authenticateSession(ctx.db, cookie);
      if (session) {
        if (!SAFE_METHODS.has(request.method)) {
          const sent = request.headers['x-csrf-token'];
          if (typeof sent !== 'string' || !safeEqual(sent, session.csrfToken)) {
            if (access === 'agent')
              throw new AppError('forbidden', 'auth.csrf_failed', 'Missing or wrong X-CSRF-Token header; reload the page');
            // On public routes a cookie without CSRF proof is simply ignored.
            return;
          }
        }
        request.actor = session.actor;
        request.sessionId = session.sessionId;
        return;
      }
    }
    if (access === 'agent') throw unauthenticated();
  };
}

/** The signed-in agent of an `agent` route (authentication already ran). */
export function agentOf(request: FastifyRequest): AgentActor {
  const actor = request.actor;
  if (!actor || actor.kind !== 'agent') throw unauthenticated();
  return actor;
}
