import type { Db } from '../../../db/database.js';
import { inTransaction } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { recordAudit } from '../../../platform/audit.js';
import { conflict } from '../../../platform/errors.js';
import { deleteMailboxRow, getMailboxRow, mailboxHasInboundMail } from './store.js';

/**
 * Deletes a mailbox that never received mail (a typo, a test). One that did keeps its history:
 * its raw messages belong to cases, so it can only be deactivated.
 */
export async function deleteMailbox(db: Db, actor: Actor, id: string): Promise<void> {
  await inTransaction(db, async (tx) => {
    const mailbox = await getMailboxRow(tx, actor, id, 'mailbox.manage', { forUpdate: true });
    if (await mailboxHasInboundMail(tx, actor, id)) {
      throw conflict('mailbox.in_use', 'This mailbox has received mail and cannot be deleted; deactivate it instead (active: false)', {
        field: 'active',
      });
    }
    await deleteMailboxRow(tx, actor, id);
    await recordAudit(tx, actor, {
      action: 'mailbox.deleted',
      targetType: 'mailbox',
      targetId: id,
      details: { address: mailbox.address, name: mailbox.name },
    });
  });
}
