import { inTransaction, type Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { workspaceScope } from '../../platform/authorization.js';
import type { JsonObject } from '../../platform/schema.js';
import { BILLING_FAMILY, joinsProactiveCase, parseContinuitySettings, PROACTIVE_TAG } from './continuity.js';
import { authorizeCaseCreation, createCaseWithMessage } from './create-case.js';
import { appendMessage } from './post-message.js';
import type { CaseCategory, Channel } from './schema.js';
import { findContinuableCase, findContinuableTaggedCase, isUuid, lockCustomerContacts } from './store.js';
import { cleanBody, cleanSubject } from './text.js';

export interface CustomerContactInput {
  customerId: string;
  subject: string;
  category: CaseCategory;
  channel: Channel;
  bodyText: string;
  attachmentIds?: string[] | undefined;
  metadata?: JsonObject | undefined;
  /** A new case goes to this team (an email mailbox's team) instead of the category's queue. */
  teamId?: string | null | undefined;
  /** Tags of a new case (a joined case keeps its own). */
  tags?: string[] | undefined;
}

/**
 * A customer got in touch (web form, email, chat, ...). With continuity on (the default), the
 * message joins the customer's case of the same category that is still being worked on and was
 * updated within the window (`contact_joined`); otherwise it opens a new case. Closed and solved
 * cases are never joined: a solved case stays solved unless the customer replies on it directly.
 * An email or web-form contact about billing also joins the customer's open `proactive` case
 * (Baton wrote to them first, e.g. about a failed payment) when no same-category case is open.
 */
export async function receiveCustomerContact(
  db: Db,
  actor: Actor,
  input: CustomerContactInput,
): Promise<{ caseId: string; number: number; joined: boolean; messageId: string }> {
  authorizeCaseCreation(actor, input.customerId);
  const subject = cleanSubject(input.subject);
  const bodyText = cleanBody(input.bodyText);
  return inTransaction(db, async (tx) => {
    const settings = isUuid(input.customerId)
      ? parseContinuitySettings(await lockCustomerContacts(tx, workspaceScope(actor), input.customerId))
      : null;
    if (settings?.enabled) {
      const open =
        (await findContinuableCase(tx, actor, input.customerId, input.category, settings.windowDays)) ??
        (joinsProactiveCase(input.category, input.channel)
          ? await findContinuableTaggedCase(tx, actor, input.customerId, BILLING_FAMILY, PROACTIVE_TAG, settings.windowDays)
          : undefined);
      if (open) {
        const { message } = await appendMessage(
          tx,
          actor,
          open,
          {
            author: { type: 'customer', agentId: null, customerId: input.customerId },
            visibility: 'public',
            channel: input.channel,
            bodyText,
            // The contact's own subject is kept with its message; the case keeps its subject.
            metadata: { ...input.metadata, subject },
            attachmentIds: input.attachmentIds,
          },
          (inserted) => [
            {
              caseId: open.id,
              type: 'contact_joined',
              data: { message_id: inserted.id, channel: input.channel, subject, window_days: settings.windowDays },
            },
          ],
        );
        return { caseId: open.id, number: open.number, joined: true, messageId: message.id };
      }
    }
    const created = await createCaseWithMessage(tx, actor, {
      customerId: input.customerId,
      subject,
      category: input.category,
      channel: input.channel,
      ...(input.teamId ? { teamId: input.teamId } : {}),
      ...(input.tags ? { tags: input.tags } : {}),
      message: { bodyText, visibility: 'public', authorType: 'customer', metadata: input.metadata, attachmentIds: input.attachmentIds },
    });
    return { caseId: created.case.id, number: created.case.number, joined: false, messageId: created.messageId };
  });
}
