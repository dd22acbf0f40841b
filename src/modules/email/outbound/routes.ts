import { Type } from 'typebox';
import { RawMessageResponse, sendRawMessage } from '../raw-message-download.js';
import type { AppContext } from '../../../context.js';
import { agentOf } from '../../../http/authenticate.js';
import { Closed } from '../../../http/schemas.js';
import type { ApiApp } from '../../../http/server.js';
import { getMyEmailPreferences, updateMyEmailPreferences } from './preferences.js';
import { getOutboundMail, getOutboundMailRawMessage, listOutboundMail, retryOutboundMail } from './viewer.js';
import {
  EmailPreferencesSchema,
  OUTBOUND_KINDS,
  OUTBOUND_STATUSES,
  OutboundMailDetailSchema,
  OutboundMailPageSchema,
  OutboundMailViewSchema,
} from './views.js';

const tags = ['email'];
const IdParams = Closed({ id: Type.String({ maxLength: 64 }) });

/**
 * The sent-mail viewer (/outbound-mail) and the agent's own notification preferences
 * (/me/email-preferences). One registry line mounts both.
 */
export function outboundMailRoutes(app: ApiApp, ctx: AppContext): void {
  app.get(
    '/outbound-mail',
    {
      schema: {
        tags,
        summary: 'Outgoing mail, newest first (replies, acknowledgements, notifications)',
        description:
          'Admins and supervisors see all mail of the workspace; agents list one case at a time (case_id required) and see notifications addressed to them only.',
        querystring: Closed({
          case_id: Type.Optional(Type.String({ format: 'uuid' })),
          status: Type.Optional(Type.Enum([...OUTBOUND_STATUSES])),
          kind: Type.Optional(Type.Enum([...OUTBOUND_KINDS])),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })),
          cursor: Type.Optional(Type.String({ maxLength: 512, description: 'Opaque cursor from next_cursor' })),
        }),
        response: { 200: OutboundMailPageSchema },
      },
    },
    async (request) => {
      const q = request.query;
      return listOutboundMail(ctx.db, agentOf(request), {
        caseId: q.case_id,
        status: q.status,
        kind: q.kind,
        limit: q.limit,
        cursor: q.cursor,
      });
    },
  );

  app.get(
    '/outbound-mail/:id',
    {
      schema: {
        tags,
        summary: 'One outgoing mail with its text, HTML and attachment names',
        params: IdParams,
        response: { 200: OutboundMailDetailSchema },
      },
    },
    async (request) => getOutboundMail(ctx.db, agentOf(request), request.params.id),
  );

  app.get(
    '/outbound-mail/:id/raw',
    {
      schema: {
        tags,
        summary: 'The message exactly as composed and sent (message/rfc822 download)',
        params: IdParams,
        response: { 200: RawMessageResponse },
      },
    },
    async (request, reply) => {
      const raw = await getOutboundMailRawMessage(ctx.db, agentOf(request), request.params.id);
      return sendRawMessage(reply, raw, `outbound-${request.params.id}.eml`);
    },
  );

  app.post(
    '/outbound-mail/:id/retry',
    {
      schema: {
        tags,
        summary: 'Send a failed mail again (admins; audited)',
        params: IdParams,
        response: { 200: OutboundMailViewSchema },
      },
    },
    async (request) => retryOutboundMail(ctx.db, agentOf(request), request.params.id),
  );

  app.get(
    '/me/email-preferences',
    { schema: { tags: ['me'], summary: 'Which notification emails you receive', response: { 200: EmailPreferencesSchema } } },
    async (request) => getMyEmailPreferences(ctx.db, agentOf(request)),
  );

  app.put(
    '/me/email-preferences',
    {
      schema: {
        tags: ['me'],
        summary: 'Choose which notification emails you receive (fields left out keep their value)',
        body: Closed({ on_assignment: Type.Optional(Type.Boolean()), on_customer_reply: Type.Optional(Type.Boolean()) }),
        response: { 200: EmailPreferencesSchema },
      },
    },
    async (request) => updateMyEmailPreferences(ctx.db, agentOf(request), request.body),
  );
}
