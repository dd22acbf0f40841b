import { sql } from 'kysely';
import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { authorize, workspaceScope } from '../../../platform/authorization.js';
import type { JsonObject } from '../../../platform/schema.js';
import type { AuthorType, MessageChannel, Visibility } from '../../cases/schema.js';

/**
 * Known shortcut (ARCHITECTURE.md): read-only lookups of case messages. The cases module lists a
 * conversation page by page but has no "one message by id" or "latest email message of a case"
 * function yet; both belong there once it grows them.
 */

export interface CaseMessage {
  id: string;
  case_id: string;
  visibility: Visibility;
  author_type: AuthorType;
  author_agent_id: string | null;
  channel: MessageChannel;
  body_text: string;
  metadata: JsonObject;
  created_at: Date;
}

export async function findCaseMessage(db: Db, actor: Actor, messageId: string): Promise<CaseMessage | undefined> {
  authorize(actor, 'case.read', { workspaceId: workspaceScope(actor), type: 'case' });
  return db
    .selectFrom('messages')
    .select(['id', 'case_id', 'visibility', 'author_type', 'author_agent_id', 'channel', 'body_text', 'metadata', 'created_at'])
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', '=', messageId)
    .executeTakeFirst();
}

/** What inbound processing recorded about the customer's latest email on the case (metadata.email). */
export interface InboundEmailRef {
  mailboxId: string | null;
  /** Without angle brackets. */
  messageId: string | null;
  /** The sender's bare address. */
  from: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function addressField(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as { address?: unknown }).address === 'string') {
    return (value as { address: string }).address;
  }
  return null;
}

export async function latestInboundEmail(db: Db, actor: Actor, caseId: string): Promise<InboundEmailRef | null> {
  authorize(actor, 'case.read', { workspaceId: workspaceScope(actor), type: 'case' });
  const row = await db
    .selectFrom('messages')
    .select(sql<unknown>`metadata -> 'email'`.as('email'))
    .where('workspace_id', '=', workspaceScope(actor))
    .where('case_id', '=', caseId)
    .where('author_type', '=', 'customer')
    .where(sql<boolean>`metadata -> 'email' is not null`)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const email = row?.email;
  if (!email || typeof email !== 'object') return null;
  const fields = email as Record<string, unknown>;
  const mailboxId = typeof fields.mailbox_id === 'string' && UUID.test(fields.mailbox_id) ? fields.mailbox_id : null;
  const messageId = typeof fields.message_id === 'string' ? fields.message_id : null;
  return { mailboxId, messageId, from: addressField(fields.from) };
}
