import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { authorize, workspaceScope } from '../../platform/authorization.js';
import { readShared } from '../../platform/batch-reads.js';
import { notFound } from '../../platform/errors.js';
import { findCaseIdByNumber, isUuid, loadCase, readPermission, SHARED_CASE_READS } from './store.js';
import { toCaseView, type CaseView } from './views.js';

/** A case number as people write it: `1042` or `#1042`. */
const CASE_NUMBER = /^#?(\d{1,9})$/;

/** A case by id or number; a status-link holder sees only their own case. */
export async function getCase(db: Db, actor: Actor, idOrNumber: string | number): Promise<CaseView> {
  const permission = readPermission(actor);
  let caseId: string | undefined;
  const ref = String(idOrNumber).trim();
  const number = CASE_NUMBER.exec(ref);
  if (number) caseId = await findCaseIdByNumber(db, actor, Number(number[1]));
  else if (isUuid(ref)) caseId = ref;
  if (!caseId) {
    authorize(actor, permission, { workspaceId: workspaceScope(actor), type: 'case' });
    throw notFound('case');
  }
  const id = caseId;
  const read = async () => toCaseView(db, actor, await loadCase(db, actor, id, permission));
  // Baton's own reads (outbox listeners) share one read per relay batch; a person's read never.
  if (actor.kind === 'system') return readShared(db, `${SHARED_CASE_READS}${workspaceScope(actor)}:${id}`, read);
  return read();
}
