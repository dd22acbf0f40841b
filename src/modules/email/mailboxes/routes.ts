import { Type, type TSchema } from 'typebox';
import type { AppContext } from '../../../context.js';
import { agentOf } from '../../../http/authenticate.js';
import { idempotencyRequestOf } from '../../../http/idempotency-guard.js';
import { Closed, IdempotencyHeaders, Uuid } from '../../../http/schemas.js';
import type { ApiApp } from '../../../http/server.js';
import { CASE_CATEGORIES } from '../../cases/schema.js';
import { createMailbox } from './create-mailbox.js';
import { deleteMailbox } from './delete-mailbox.js';
import { getMailbox, listMailboxes } from './read-mailboxes.js';
import { updateMailbox } from './update-mailbox.js';
import { MailboxSchema } from './views.js';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const NoControl = '^[^\\u0000-\\u001f\\u007f]+$';

const Address = Type.String({ minLength: 3, maxLength: 254, description: 'Lower-cased; no "+" (reply addresses use plus addressing)' });
const Name = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
const Category = Type.Enum([...CASE_CATEGORIES], { description: 'Category of the cases this mailbox opens' });
const Language = Type.String({ minLength: 2, maxLength: 10, pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$' });
const AckSubject = Nullable(Type.String({ maxLength: 300, description: 'null: the built-in template' }));
const AckBody = Nullable(Type.String({ maxLength: 20000, description: 'null: the built-in template' }));

const ImapFields = {
  host: Type.String({ minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9.:-]+$' }),
  port: Type.Integer({ minimum: 1, maximum: 65535 }),
  tls: Type.Boolean({ description: 'true: TLS (implicit, or STARTTLS required on port 143); false: plain, STARTTLS when offered' }),
  username: Type.String({ minLength: 1, maxLength: 254, pattern: NoControl }),
  password: Type.String({ minLength: 1, maxLength: 1000, description: 'Stored encrypted, never returned' }),
  folder: Type.String({ minLength: 1, maxLength: 200, pattern: NoControl }),
  move_to: Nullable(Type.String({ minLength: 1, maxLength: 200, pattern: NoControl })),
};
const ImapCreate = Closed({
  host: ImapFields.host,
  port: ImapFields.port,
  tls: ImapFields.tls,
  username: ImapFields.username,
  password: ImapFields.password,
  folder: Type.Optional(ImapFields.folder),
  move_to: Type.Optional(ImapFields.move_to),
});
const ImapPatch = Closed(
  {
    host: Type.Optional(ImapFields.host),
    port: Type.Optional(ImapFields.port),
    tls: Type.Optional(ImapFields.tls),
    username: Type.Optional(ImapFields.username),
    password: Type.Optional(ImapFields.password),
    folder: Type.Optional(ImapFields.folder),
    move_to: Type.Optional(ImapFields.move_to),
  },
  { description: 'Merged over the stored settings; the password is replaced only when given' },
);

const IdParams = Closed({ id: Uuid });
const NoContent = Type.Null({ description: 'No content' });
const tags = ['mailboxes'];

export function mailboxRoutes(app: ApiApp, ctx: AppContext): void {
  app.get(
    '/mailboxes',
    {
      schema: { tags, summary: 'Mailboxes of the workspace', response: { 200: Type.Object({ items: Type.Array(MailboxSchema) }) } },
    },
    async (request) => ({ items: await listMailboxes(ctx.db, agentOf(request)) }),
  );

  app.get(
    '/mailboxes/:id',
    { schema: { tags, summary: 'One mailbox', params: IdParams, response: { 200: MailboxSchema } } },
    async (request) => getMailbox(ctx.db, agentOf(request), request.params.id),
  );

  app.post(
    '/mailboxes',
    {
      schema: {
        tags,
        summary: 'Add a mailbox (admin): mail to its address opens cases; optionally fetched from an IMAP account',
        headers: IdempotencyHeaders,
        body: Closed({
          address: Address,
          name: Name,
          team_id: Type.Optional(Nullable(Uuid)),
          category: Type.Optional(Category),
          language: Type.Optional(Language),
          acknowledge: Type.Optional(Type.Boolean()),
          ack_subject: Type.Optional(AckSubject),
          ack_body: Type.Optional(AckBody),
          imap: Type.Optional(Nullable(ImapCreate)),
        }),
        response: { 201: MailboxSchema },
      },
    },
    async (request, reply) => {
      const mailbox = await createMailbox(ctx.db, ctx.secret, agentOf(request), request.body, idempotencyRequestOf(request));
      return reply.code(201).send(mailbox);
    },
  );

  app.patch(
    '/mailboxes/:id',
    {
      schema: {
        tags,
        summary: 'Change a mailbox (admin); active: false stops receiving, imap: null stops fetching',
        params: IdParams,
        body: Closed(
          {
            address: Type.Optional(Address),
            name: Type.Optional(Name),
            team_id: Type.Optional(Nullable(Uuid)),
            category: Type.Optional(Category),
            language: Type.Optional(Language),
            acknowledge: Type.Optional(Type.Boolean()),
            ack_subject: Type.Optional(AckSubject),
            ack_body: Type.Optional(AckBody),
            active: Type.Optional(Type.Boolean()),
            imap: Type.Optional(Nullable(ImapPatch)),
          },
          { minProperties: 1 },
        ),
        response: { 200: MailboxSchema },
      },
    },
    async (request) => updateMailbox(ctx.db, ctx.secret, agentOf(request), request.params.id, request.body),
  );

  app.delete(
    '/mailboxes/:id',
    {
      schema: {
        tags,
        summary: 'Delete a mailbox that never received mail (admin); otherwise deactivate it',
        params: IdParams,
        response: { 204: NoContent },
      },
    },
    async (request, reply) => {
      await deleteMailbox(ctx.db, agentOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
}
