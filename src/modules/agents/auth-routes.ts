import { Type } from 'typebox';
import type { AppContext } from '../../context.js';
import { agentOf } from '../../http/authenticate.js';
import { Closed } from '../../http/schemas.js';
import type { ApiApp } from '../../http/server.js';
import { SESSION_COOKIE, SESSION_IDLE_MS } from './authentication.js';
import { acceptInvitation } from './invitations.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwords.js';
import { clearSessionCookie, clientOf, NoContent, setSessionCookie } from './route-helpers.js';
import { currentSession, login, logout } from './sessions.js';
import { SessionSchema } from './views.js';

const tags = ['auth'];

export function authRoutes(app: ApiApp, ctx: AppContext): void {
  app.post(
    '/auth/login',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Sign in with email and password (sets the session cookie)',
        body: Closed({
          email: Type.String({ minLength: 3, maxLength: 254 }),
          password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH }),
        }),
        response: { 200: SessionSchema },
      },
    },
    async (request, reply) => {
      const session = await login(ctx.db, request.body, clientOf(request));
      setSessionCookie(reply, ctx, session.token, session.expiresAt);
      return session.body;
    },
  );

  app.post(
    '/auth/logout',
    { schema: { tags, summary: 'Sign out this session (clears the cookie)', response: { 204: NoContent } } },
    async (request, reply) => {
      await logout(ctx.db, agentOf(request), request.sessionId);
      clearSessionCookie(reply, ctx);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/auth/session',
    { schema: { tags, summary: 'The signed-in agent, their workspace and the CSRF token', response: { 200: SessionSchema } } },
    async (request, reply) => {
      const actor = agentOf(request);
      const body = await currentSession(ctx.db, actor, request.sessionId);
      // Sessions slide in the database; the cookie's expiry follows when the app loads.
      const cookie = request.cookies[SESSION_COOKIE];
      if (actor.via === 'session' && cookie) setSessionCookie(reply, ctx, cookie, new Date(Date.now() + SESSION_IDLE_MS));
      return body;
    },
  );

  app.post(
    '/auth/accept-invitation',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Accept an invitation: set a password and sign in',
        body: Closed({
          token: Type.String({ minLength: 1, maxLength: 200 }),
          password: Type.String({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH }),
        }),
        response: { 200: SessionSchema },
      },
    },
    async (request, reply) => {
      const session = await acceptInvitation(ctx.db, request.body, clientOf(request));
      setSessionCookie(reply, ctx, session.token, session.expiresAt);
      return session.body;
    },
  );
}
