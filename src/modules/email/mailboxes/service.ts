/**
 * The mailboxes API for other parts of the email channel (SMTP intake, IMAP sync, processing,
 * outbound mail) and for src/modules/index.ts.
 */
export { createMailbox } from './create-mailbox.js';
export { updateMailbox } from './update-mailbox.js';
export { deleteMailbox } from './delete-mailbox.js';
export { getImapMailbox, getMailbox, listImapMailboxes, listMailboxes, type ImapMailbox } from './read-mailboxes.js';
export { mailboxRoutes } from './routes.js';
export { normalizeMailboxAddress, type MailboxInput, type MailboxPatch } from './input.js';
export type { MailboxView } from './views.js';
