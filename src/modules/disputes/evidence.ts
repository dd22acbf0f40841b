import { inTransaction, type Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import type { EvidenceKind } from './schema.js';
import {
  alreadySubmitted,
  deleteEvidence,
  insertEvidence,
  loadEvidenceItem,
  nextEvidencePosition,
  selectEvidence,
  selectSubmission,
  updateEvidence,
  type EvidenceChanges,
} from './evidence-store.js';
import { loadDispute, type DisputeRow } from './store.js';
import { toEvidenceItemView, type EvidenceItemView } from './views.js';

/** The evidence builder's items: the agent's own, and prefilled ones (prefill.ts). */

export interface NewEvidenceItem {
  kind: EvidenceKind;
  title: string;
  body?: string | undefined;
  included?: boolean | undefined;
  position?: number | undefined;
}

export type EvidenceItemChanges = Partial<NewEvidenceItem>;

/**
 * Locks the dispute for an evidence change. Once submitted, evidence is what the processor has:
 * it no longer changes (409 dispute.already_submitted). The row lock orders edits against submit.
 */
export async function lockForEvidence(tx: Db, actor: Actor, disputeId: string): Promise<DisputeRow> {
  const dispute = await loadDispute(tx, actor, disputeId, 'dispute.write', { forUpdate: true });
  if (await selectSubmission(tx, actor, dispute.id)) throw alreadySubmitted(dispute.id);
  return dispute;
}

const cleanTitle = (title: string) =>
  title
    .replace(/\p{Cc}+/gu, ' ')
    .trim()
    .slice(0, 300) || 'Untitled';
// PostgreSQL text refuses NUL.
const cleanBody = (body: string) => body.split('\u0000').join('').replace(/\r\n?/g, '\n');

export async function listEvidence(db: Db, actor: Actor, disputeId: string): Promise<EvidenceItemView[]> {
  const dispute = await loadDispute(db, actor, disputeId, 'dispute.read');
  return (await selectEvidence(db, actor, dispute.id)).map(toEvidenceItemView);
}

export async function addEvidenceItem(db: Db, actor: Actor, disputeId: string, input: NewEvidenceItem): Promise<EvidenceItemView> {
  return inTransaction(db, async (tx) => {
    const dispute = await lockForEvidence(tx, actor, disputeId);
    const position = input.position ?? (await nextEvidencePosition(tx, actor, dispute.id));
    const [row] = await insertEvidence(tx, actor, dispute.id, [
      {
        kind: input.kind,
        title: cleanTitle(input.title),
        body: cleanBody(input.body ?? ''),
        origin: 'agent',
        included: input.included ?? true,
        position,
        file_id: null,
      },
    ]);
    return toEvidenceItemView(row!);
  });
}

/** Changes an item; a prefilled item becomes the agent's (edited), so a new prefill keeps it. */
export async function updateEvidenceItem(
  db: Db,
  actor: Actor,
  disputeId: string,
  itemId: string,
  input: EvidenceItemChanges,
): Promise<EvidenceItemView> {
  return inTransaction(db, async (tx) => {
    const dispute = await lockForEvidence(tx, actor, disputeId);
    const item = await loadEvidenceItem(tx, actor, dispute.id, itemId);
    const changes: EvidenceChanges = {};
    if (input.kind !== undefined) changes.kind = input.kind;
    if (input.title !== undefined) changes.title = cleanTitle(input.title);
    if (input.body !== undefined) changes.body = cleanBody(input.body);
    if (input.included !== undefined) changes.included = input.included;
    if (input.position !== undefined) changes.position = input.position;
    if (item.origin === 'prefill' && item.edited_at === null) changes.edited_at = new Date();
    return toEvidenceItemView(await updateEvidence(tx, actor, dispute.id, item.id, changes));
  });
}

export async function removeEvidenceItem(db: Db, actor: Actor, disputeId: string, itemId: string): Promise<void> {
  await inTransaction(db, async (tx) => {
    const dispute = await lockForEvidence(tx, actor, disputeId);
    await deleteEvidence(tx, actor, dispute.id, itemId);
  });
}
