/**
 * The mailbox form's state and what it sends: the draft an admin edits, the checks made before
 * asking the server, and the create body or the PATCH of only the changed fields.
 */
import type { CaseCategory, Mailbox, MailboxChanges, MailboxImapInput, NewMailbox } from '../../api/types';
import { t } from '../../i18n';

export type Field =
  | 'address'
  | 'name'
  | 'team_id'
  | 'category'
  | 'language'
  | 'ack_subject'
  | 'ack_body'
  | 'imap_host'
  | 'imap_port'
  | 'imap_username'
  | 'imap_password'
  | 'imap_folder'
  | 'imap_move_to';

export interface Draft {
  address: string;
  name: string;
  team_id: string;
  category: CaseCategory;
  language: string;
  acknowledge: boolean;
  ack_subject: string;
  ack_body: string;
  imap: boolean;
  imap_host: string;
  imap_port: string;
  imap_tls: boolean;
  imap_username: string;
  imap_password: string;
  imap_folder: string;
  imap_move_to: string;
}

/** The placeholders the acknowledgement templates understand (written literally, never through t()). */
export const PLACEHOLDERS = [
  { code: '{{case_number}}', key: 'mailboxes.placeholder.caseNumber' },
  { code: '{{subject}}', key: 'mailboxes.placeholder.subject' },
  { code: '{{customer_name}}', key: 'mailboxes.placeholder.customerName' },
] as const;

const DEFAULT_IMAP_PORT = 993;

export function draftOf(mailbox: Mailbox | null): Draft {
  return {
    address: mailbox?.address ?? '',
    name: mailbox?.name ?? '',
    team_id: mailbox?.team_id ?? '',
    category: mailbox?.category ?? 'general',
    language: mailbox?.language ?? 'en',
    acknowledge: mailbox?.acknowledge ?? false,
    ack_subject: mailbox?.ack_subject ?? '',
    ack_body: mailbox?.ack_body ?? '',
    imap: Boolean(mailbox?.imap),
    imap_host: mailbox?.imap?.host ?? '',
    imap_port: String(mailbox?.imap?.port ?? DEFAULT_IMAP_PORT),
    imap_tls: mailbox?.imap?.tls ?? true,
    imap_username: mailbox?.imap?.username ?? '',
    imap_password: '',
    imap_folder: mailbox?.imap?.folder ?? 'INBOX',
    imap_move_to: mailbox?.imap?.move_to ?? '',
  };
}

/** Problems the form can see before asking the server. */
export function checkDraft(draft: Draft, hasStoredPassword: boolean): Partial<Record<Field, string>> {
  const problems: Partial<Record<Field, string>> = {};
  const address = draft.address.trim();
  if (!address) problems.address = t('mailboxes.addressMissing');
  else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address)) problems.address = t('mailboxes.addressInvalid');
  // Baton writes its signed reply addresses with plus addressing (support+c12.x@), so a mailbox may not own one.
  else if (address.slice(0, address.lastIndexOf('@')).includes('+')) problems.address = t('mailboxes.addressPlus');
  if (!draft.name.trim()) problems.name = t('mailboxes.nameMissing');
  if (!draft.language.trim()) problems.language = t('mailboxes.languageMissing');
  else if (!/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(draft.language.trim())) problems.language = t('mailboxes.languageInvalid');
  if (draft.imap) {
    if (!draft.imap_host.trim()) problems.imap_host = t('mailboxes.imapHostMissing');
    else if (!/^[A-Za-z0-9.:-]+$/.test(draft.imap_host.trim())) problems.imap_host = t('mailboxes.imapHostInvalid');
    const port = Number(draft.imap_port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) problems.imap_port = t('mailboxes.imapPortInvalid');
    if (!draft.imap_username.trim()) problems.imap_username = t('mailboxes.imapUsernameMissing');
    if (!hasStoredPassword && !draft.imap_password) problems.imap_password = t('mailboxes.imapPasswordMissing');
    const folder = draft.imap_folder.trim() || 'INBOX';
    if (draft.imap_move_to.trim() && draft.imap_move_to.trim() === folder) problems.imap_move_to = t('mailboxes.imapMoveToSame');
  }
  return problems;
}

function imapInput(draft: Draft): MailboxImapInput {
  return {
    host: draft.imap_host.trim(),
    port: Number(draft.imap_port),
    tls: draft.imap_tls,
    username: draft.imap_username.trim(),
    ...(draft.imap_password ? { password: draft.imap_password } : {}),
    folder: draft.imap_folder.trim() || 'INBOX',
    move_to: draft.imap_move_to.trim() || null,
  };
}

export function newMailboxOf(draft: Draft): NewMailbox {
  const input: NewMailbox = {
    address: draft.address.trim(),
    name: draft.name.trim(),
    category: draft.category,
    language: draft.language.trim(),
    acknowledge: draft.acknowledge,
  };
  if (draft.team_id) input.team_id = draft.team_id;
  if (draft.ack_subject.trim()) input.ack_subject = draft.ack_subject.trim();
  if (draft.ack_body.trim()) input.ack_body = draft.ack_body;
  if (draft.imap) input.imap = imapInput(draft);
  return input;
}

/** Only what changed; `imap: null` turns fetching off, the password goes out only when typed. */
export function changesOf(mailbox: Mailbox, draft: Draft): MailboxChanges {
  const before = draftOf(mailbox);
  const changes: MailboxChanges = {};
  if (draft.address.trim() !== before.address) changes.address = draft.address.trim();
  if (draft.name.trim() !== before.name) changes.name = draft.name.trim();
  if (draft.team_id !== before.team_id) changes.team_id = draft.team_id || null;
  if (draft.category !== before.category) changes.category = draft.category;
  if (draft.language.trim() !== before.language) changes.language = draft.language.trim();
  if (draft.acknowledge !== before.acknowledge) changes.acknowledge = draft.acknowledge;
  if (draft.ack_subject.trim() !== before.ack_subject) changes.ack_subject = draft.ack_subject.trim() || null;
  if (draft.ack_body !== before.ack_body) changes.ack_body = draft.ack_body.trim() ? draft.ack_body : null;
  if (!draft.imap) {
    if (mailbox.imap) changes.imap = null;
  } else {
    const next = imapInput(draft);
    const old = mailbox.imap;
    const same =
      old !== null &&
      next.host === old.host &&
      next.port === old.port &&
      next.tls === old.tls &&
      next.username === old.username &&
      next.folder === old.folder &&
      (next.move_to ?? null) === (old.move_to || null) &&
      !next.password;
    if (!same) changes.imap = next;
  }
  return changes;
}
