import { Type, type Static, type TSchema } from 'typebox';

/** Response shapes of the inbound-mail API (TypeBox, published in OpenAPI). */

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Id = Type.String({ format: 'uuid' });

export const INBOUND_MAIL_STATUSES = ['received', 'processed', 'quarantined', 'ignored'] as const;

export const InboundMailViewSchema = Type.Object({
  id: Id,
  mailbox_id: Id,
  mailbox_address: Nullable(Type.String()),
  source: Type.Enum(['smtp', 'imap']),
  status: Type.Enum([...INBOUND_MAIL_STATUSES]),
  reason_code: Nullable(Type.String({ description: 'Why it was quarantined or ignored, e.g. mail.too_large, mail.duplicate' })),
  reason: Nullable(Type.String()),
  from_address: Nullable(Type.String()),
  subject: Nullable(Type.String()),
  message_id_header: Nullable(Type.String({ description: 'Without angle brackets' })),
  size_bytes: Type.Integer(),
  case_id: Nullable(Id),
  case_number: Nullable(Type.Integer()),
  attempts: Type.Integer({ description: 'Failed processing attempts (quarantined after 5)' }),
  received_at: Type.String({ format: 'date-time' }),
  processed_at: Nullable(Type.String({ format: 'date-time' })),
  auth_results: Nullable(Type.Record(Type.String(), Type.Unknown(), { description: 'SPF, DKIM, DMARC and the verdict' })),
});
export type InboundMailView = Static<typeof InboundMailViewSchema>;

export const InboundMailDetailSchema = Type.Object({
  ...InboundMailViewSchema.properties,
  headers: Type.String({ description: 'The first 100 header lines of the raw message, as text (show preformatted, never as HTML)' }),
});
export type InboundMailDetail = Static<typeof InboundMailDetailSchema>;

export const InboundMailPageSchema = Type.Object({
  items: Type.Array(InboundMailViewSchema),
  next_cursor: Nullable(Type.String()),
});

const AddressSchema = Type.Object({ address: Type.String(), name: Type.String() });

export const AuthViewSchema = Type.Object({
  spf: Type.String(),
  dkim: Type.String(),
  dmarc: Type.String(),
  verdict: Type.Enum(['pass', 'fail', 'none']),
});

export const MessageEmailSchema = Type.Object({
  message_id: Id,
  html: Nullable(
    Type.String({
      description:
        'Sanitized HTML with cid: images pointing to signed attachment links; render in a sandboxed iframe (srcdoc, sandbox="") with a CSP blocking remote images until allowed',
    }),
  ),
  html_truncated: Type.Boolean(),
  has_remote_images: Type.Boolean(),
  from: Nullable(AddressSchema),
  to: Type.Array(AddressSchema),
  cc: Type.Array(AddressSchema),
  reply_to: Type.Array(AddressSchema),
  subject: Nullable(Type.String()),
  date: Nullable(Type.String()),
  message_id_header: Nullable(Type.String()),
  auth: Nullable(AuthViewSchema),
  headers: Type.Record(Type.String(), Type.String(), { description: 'Header fields by lower-cased name (first value)' }),
});
export type MessageEmailView = Static<typeof MessageEmailSchema>;
