import type { Selectable } from 'kysely';
import { Type, type TSchema } from 'typebox';
import { CASE_CATEGORIES, type CaseCategory } from '../../cases/schema.js';
import type { ImapSyncStateTable, MailboxesTable } from '../schema.js';

/** Response shape of a mailbox (TypeBox, published in OpenAPI) and the row -> view mapper. */

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });

export const MailboxImapSchema = Type.Object({
  host: Type.String(),
  port: Type.Integer(),
  tls: Type.Boolean({ description: 'true: TLS (implicit, or STARTTLS required on port 143); false: plain, STARTTLS when offered' }),
  username: Type.String(),
  folder: Type.String(),
  move_to: Nullable(Type.String({ description: 'Imported messages are moved here; null: they are only flagged \\Seen' })),
  has_password: Type.Boolean({ description: 'The password itself is stored encrypted and never returned' }),
  last_sync_at: Nullable(DateTime),
  last_error: Nullable(Type.String()),
});

export const MailboxSchema = Type.Object({
  id: Type.String(),
  address: Type.String(),
  name: Type.String(),
  team_id: Nullable(Type.String()),
  category: Type.Enum([...CASE_CATEGORIES]),
  language: Type.String(),
  acknowledge: Type.Boolean(),
  ack_subject: Nullable(Type.String()),
  ack_body: Nullable(Type.String()),
  active: Type.Boolean(),
  imap: Nullable(MailboxImapSchema),
  created_at: DateTime,
  updated_at: DateTime,
});

export type MailboxRow = Selectable<MailboxesTable>;
export type SyncStateRow = Pick<Selectable<ImapSyncStateTable>, 'mailbox_id' | 'last_sync_at' | 'last_error'>;

export interface MailboxImapView {
  host: string;
  port: number;
  tls: boolean;
  username: string;
  folder: string;
  move_to: string | null;
  has_password: boolean;
  last_sync_at: string | null;
  last_error: string | null;
}

export interface MailboxView {
  id: string;
  address: string;
  name: string;
  team_id: string | null;
  category: CaseCategory;
  language: string;
  acknowledge: boolean;
  ack_subject: string | null;
  ack_body: string | null;
  active: boolean;
  imap: MailboxImapView | null;
  created_at: string;
  updated_at: string;
}

export function mailboxView(row: MailboxRow, sync: SyncStateRow | undefined): MailboxView {
  return {
    id: row.id,
    address: row.address,
    name: row.name,
    team_id: row.team_id,
    category: row.category,
    language: row.language,
    acknowledge: row.acknowledge,
    ack_subject: row.ack_subject,
    ack_body: row.ack_body,
    active: row.active,
    imap:
      row.imap_host === null
        ? null
        : {
            host: row.imap_host,
            port: row.imap_port ?? (row.imap_tls ? 993 : 143),
            tls: row.imap_tls,
            username: row.imap_username ?? '',
            folder: row.imap_folder,
            move_to: row.imap_move_to,
            has_password: row.imap_password_enc !== null,
            last_sync_at: sync?.last_sync_at?.toISOString() ?? null,
            last_error: sync?.last_error ?? null,
          },
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
