import type { AppContext } from '../../context.js';
import { inTransaction } from '../../db/database.js';
import { systemActor, type CustomerActor } from '../../platform/actor.js';
import type { Locale } from '../../platform/i18n/index.js';
import { addMessage, receiveCustomerContact } from '../cases/service.js';
import { findOrCreateCustomerByEmail } from '../customers/service.js';
import type { UploadedFile } from '../files/multipart.js';
import { prepareUpload, recordUpload, type PreparedUpload } from '../files/service.js';
import { createStatusLink } from './status-links.js';
import type { HelpWorkspace } from './store.js';
import type { ValidHelpRequest } from './validation.js';

/**
 * The web form's two writes, free of HTTP. Files go to storage first (content-addressed, so a
 * failed request leaves at most an unreferenced blob), then every database row is written in one
 * transaction: a case never exists without its message, nor a message without its attachments.
 */

async function prepareAll(ctx: AppContext, files: UploadedFile[]): Promise<PreparedUpload[]> {
  const prepared: PreparedUpload[] = [];
  for (const file of files) prepared.push(await prepareUpload(ctx, file));
  return prepared;
}

export interface SubmittedHelpRequest {
  caseId: string;
  number: number;
  joined: boolean;
  statusUrl: string;
  expiresAt: Date;
}

export async function submitHelpRequest(
  ctx: AppContext,
  workspace: HelpWorkspace,
  request: ValidHelpRequest,
  files: UploadedFile[],
  locale: Locale,
): Promise<SubmittedHelpRequest> {
  const prepared = await prepareAll(ctx, files);
  const system = systemActor(workspace.id, 'webform');
  return inTransaction(ctx.db, async (tx) => {
    const attachmentIds: string[] = [];
    for (const p of prepared) attachmentIds.push((await recordUpload(tx, workspace.id, p)).id);
    const { customerId } = await findOrCreateCustomerByEmail(tx, system, {
      email: request.email,
      name: request.name || undefined,
      language: locale,
    });
    const customer: CustomerActor = { kind: 'customer', workspaceId: workspace.id, customerId };
    const contact = await receiveCustomerContact(tx, customer, {
      customerId,
      subject: request.subject,
      category: request.category,
      channel: 'web',
      bodyText: request.message,
      attachmentIds,
    });
    const link = await createStatusLink(ctx, tx, system, { caseId: contact.caseId, customerId });
    return { caseId: contact.caseId, number: contact.number, joined: contact.joined, statusUrl: link.url, expiresAt: link.expiresAt };
  });
}

/** A public message from the customer holding the status link, with its files. */
export async function postStatusReply(
  ctx: AppContext,
  actor: CustomerActor & { caseId: string },
  input: { message: string; files: UploadedFile[] },
): Promise<void> {
  const prepared = await prepareAll(ctx, input.files);
  await inTransaction(ctx.db, async (tx) => {
    const attachmentIds: string[] = [];
    for (const p of prepared) attachmentIds.push((await recordUpload(tx, actor.workspaceId, p)).id);
    await addMessage(tx, actor, actor.caseId, { bodyText: input.message, visibility: 'public', channel: 'web', attachmentIds });
  });
}
