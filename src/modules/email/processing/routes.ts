import { Type } from 'typebox';
import { RawMessageResponse, sendRawMessage } from '../raw-message-download.js';
import type { AppContext } from '../../../context.js';
import { agentOf } from '../../../http/authenticate.js';
import { Closed, PageQuery, Uuid } from '../../../http/schemas.js';
import type { ApiApp } from '../../../http/server.js';
import { getMessageEmail } from './message-email.js';
import { getInboundMail, getInboundMailRaw, listInboundMail, reprocessInboundMail } from './problem-mail.js';
import { INBOUND_MAIL_STATUSES, InboundMailDetailSchema, InboundMailPageSchema, MessageEmailSchema } from './views.js';

const IdParams = Closed({ id: Uuid });

/** Problem mail (admins and supervisors) and the email view of a case message (anyone who may read the case). */
export function inboundMailRoutes(app: ApiApp, ctx: AppContext): void {
  app.get(
    '/inbound-mail',
    {
      schema: {
        tags: ['email'],
        summary: 'Received mail, newest first; filter by status to see quarantined or ignored messages (admins, supervisors)',
        querystring: Closed({ status: Type.Optional(Type.Enum([...INBOUND_MAIL_STATUSES])), ...PageQuery }),
        response: { 200: InboundMailPageSchema },
      },
    },
    async (request) => listInboundMail(ctx.db, agentOf(request), request.query),
  );

  app.get(
    '/inbound-mail/:id',
    {
      schema: {
        tags: ['email'],
        summary: 'One received message with its header block (admins, supervisors)',
        params: IdParams,
        response: { 200: InboundMailDetailSchema },
      },
    },
    async (request) => getInboundMail(ctx.db, agentOf(request), request.params.id),
  );

  app.get(
    '/inbound-mail/:id/raw',
    {
      schema: {
        tags: ['email'],
        summary: 'The raw message as received (message/rfc822 download; admins, supervisors)',
        params: IdParams,
        response: { 200: RawMessageResponse },
      },
    },
    async (request, reply) => {
      const { raw, filename } = await getInboundMailRaw(ctx.db, agentOf(request), request.params.id);
      return sendRawMessage(reply, raw, filename);
    },
  );

  app.post(
    '/inbound-mail/:id/reprocess',
    {
      schema: {
        tags: ['email'],
        summary: 'Process a quarantined or ignored message again (admins, supervisors; audited)',
        params: IdParams,
        response: { 202: Type.Object({ id: Uuid, status: Type.Literal('received') }) },
      },
    },
    async (request, reply) => reply.code(202).send(await reprocessInboundMail(ctx.db, agentOf(request), request.params.id)),
  );

  app.get(
    '/messages/:id/email',
    {
      schema: {
        tags: ['email'],
        summary: 'The email behind a received case message: sanitized HTML, addresses, authentication, headers',
        params: IdParams,
        response: { 200: MessageEmailSchema },
      },
    },
    async (request) => getMessageEmail(ctx.db, agentOf(request), request.params.id),
  );
}
