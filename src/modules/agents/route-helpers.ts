import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../context.js';
import { Closed, Uuid } from '../../http/schemas.js';
import { SESSION_COOKIE } from './authentication.js';
import type { ClientInfo } from './sessions.js';

export const IdParams = Closed({ id: Uuid });
export const NoContent = Type.Null({ description: 'No content' });

export function clientOf(request: FastifyRequest): ClientInfo {
  const userAgent = request.headers['user-agent'];
  return { ip: request.ip, userAgent: typeof userAgent === 'string' ? userAgent : undefined };
}

export { idempotencyRequestOf as idempotencyOf } from '../../http/idempotency-guard.js';

/** HttpOnly and SameSite=Lax always; Secure behind TLS. Expires with the session's idle lifetime. */
export function setSessionCookie(reply: FastifyReply, ctx: AppContext, token: string, expiresAt: Date): void {
  void reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: ctx.config.secureCookies,
    expires: expiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply, ctx: AppContext): void {
  void reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', path: '/', secure: ctx.config.secureCookies });
}
