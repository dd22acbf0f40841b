import { validationError } from '../../../platform/errors.js';
import type { CaseCategory } from '../../cases/schema.js';

/** What an admin may send for a mailbox, and the rules no JSON schema can express. */

export interface ImapInput {
  host?: string;
  port?: number;
  tls?: boolean;
  username?: string;
  password?: string;
  folder?: string;
  move_to?: string | null;
}

export interface MailboxInput {
  address: string;
  name: string;
  team_id?: string | null;
  category?: CaseCategory;
  language?: string;
  acknowledge?: boolean;
  ack_subject?: string | null;
  ack_body?: string | null;
  imap?: ImapInput | null;
}

export type MailboxPatch = Partial<MailboxInput> & { active?: boolean };

const LOCAL_ATOM = /^[a-z0-9!#$%&'*/=?^_`{|}~-]+$/;
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * A mailbox address, lower-cased. Plus signs are refused: `local+tag@` is how Baton writes its
 * signed reply addresses (RFC 5233 sub-addressing), so a mailbox may not own one.
 */
export function normalizeMailboxAddress(raw: string): string {
  const address = raw.trim().toLowerCase();
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (at > 0 && local.includes('+')) {
    throw validationError('mailbox.plus_address', 'A mailbox address may not contain "+": Baton uses plus addressing for reply addresses', {
      field: 'address',
    });
  }
  const localOk = local.length >= 1 && local.length <= 64 && local.split('.').every((part) => LOCAL_ATOM.test(part));
  const domainOk = domain.length >= 1 && domain.length <= 253 && domain.split('.').every((label) => DOMAIN_LABEL.test(label));
  if (at <= 0 || !localOk || !domainOk || address.length > 254) {
    throw validationError('mailbox.invalid_address', 'Enter an email address such as support@example.com', { field: 'address' });
  }
  return address;
}

export interface ImapSettings {
  host: string;
  port: number;
  tls: boolean;
  username: string;
  /** undefined: keep the stored password. */
  password: string | undefined;
  folder: string;
  moveTo: string | null;
}

/**
 * The IMAP settings after applying `input` over the current ones (a PATCH may send only the
 * fields it changes; the password is replaced only when given). Without current settings,
 * host, username and password are required; the port defaults from `tls` (993 / 143).
 */
export function resolveImapSettings(input: ImapInput, current: Omit<ImapSettings, 'password'> | null, hasPassword: boolean): ImapSettings {
  const host = (input.host ?? current?.host)?.trim().toLowerCase();
  const username = input.username ?? current?.username;
  const tls = input.tls ?? current?.tls ?? true;
  const missing = [
    ...(host ? [] : ['imap.host']),
    ...(username ? [] : ['imap.username']),
    ...(input.password !== undefined || hasPassword ? [] : ['imap.password']),
  ];
  if (missing.length > 0) {
    throw validationError('mailbox.imap_incomplete', `IMAP needs ${missing.join(', ')}`, { field: missing[0], fields: missing });
  }
  const port = input.port ?? current?.port ?? (tls ? 993 : 143);
  const folder = (input.folder ?? current?.folder ?? 'INBOX').trim();
  const moveTo = input.move_to === undefined ? (current?.moveTo ?? null) : input.move_to?.trim() || null;
  if (folder.length === 0)
    throw validationError('mailbox.imap_folder_invalid', 'The IMAP folder may not be empty', { field: 'imap.folder' });
  if (moveTo !== null && moveTo === folder) {
    throw validationError('mailbox.imap_move_to_same', 'Processed messages cannot be moved into the folder they are read from', {
      field: 'imap.move_to',
    });
  }
  return { host: host!, port, tls, username: username!, password: input.password, folder, moveTo };
}
