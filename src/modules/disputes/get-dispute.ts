import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { notFound } from '../../platform/errors.js';
import { readInstanceSecret } from '../../platform/secrets.js';
import { signedFilePath } from '../files/service.js';
import { selectEvidence, selectSubmission, type SubmissionRow } from './evidence-store.js';
import { requirementsView } from './requirements.js';
import type { DisputeStatus } from './schema.js';
import { findDisputeByCase, isUuid, loadDispute, selectDisputes, type DisputeRow } from './store.js';
import { toDisputeSummary, toEvidenceItemView, type DisputeView, type SubmissionView } from './views.js';

/** Statuses in which the processor still takes evidence. */
export const RESPONDABLE: readonly DisputeStatus[] = ['needs_response', 'warning_needs_response'];

export function evidenceWindowOpen(row: Pick<DisputeRow, 'status' | 'evidence_due_at'>, now = new Date()): boolean {
  return RESPONDABLE.includes(row.status) && (row.evidence_due_at === null || row.evidence_due_at.getTime() > now.getTime());
}

export const packetFilename = (row: Pick<DisputeRow, 'id'>) => `dispute-${row.id.slice(0, 8)}-evidence.pdf`;

async function submissionView(db: Db, row: DisputeRow, submission: SubmissionRow | undefined): Promise<SubmissionView | null> {
  if (!submission) return null;
  const url = submission.packet_file_id
    ? signedFilePath(await readInstanceSecret(db), submission.packet_file_id, { filename: packetFilename(row) })
    : null;
  return {
    submitted_at: submission.submitted_at.toISOString(),
    submitted_by: submission.submitted_by,
    packet_file_id: submission.packet_file_id,
    packet_sha256: submission.packet_sha256,
    packet_url: url,
  };
}

/** The dispute with its evidence items, what its reason calls for, and its submission. */
export async function getDispute(db: Db, actor: Actor, disputeId: string): Promise<DisputeView> {
  const row = await loadDispute(db, actor, disputeId, 'dispute.read');
  const [[listRow], items, submission] = await Promise.all([
    selectDisputes(db, actor, { id: row.id, limit: 1 }),
    selectEvidence(db, actor, row.id),
    selectSubmission(db, actor, row.id),
  ]);
  if (!listRow) throw notFound('dispute');
  return {
    ...toDisputeSummary(listRow),
    requirements: requirementsView(row.reason, items),
    evidence: items.map(toEvidenceItemView),
    submission: await submissionView(db, row, submission),
    can_submit: submission === undefined && evidenceWindowOpen(row),
  };
}

/** The dispute worked in a case; 404 `dispute.not_found` when the case has none (or is not visible). */
export async function getDisputeOfCase(db: Db, actor: Actor, caseId: string): Promise<DisputeView> {
  const row = isUuid(caseId) ? await findDisputeByCase(db, actor, caseId) : undefined;
  if (!row) throw notFound('dispute');
  return getDispute(db, actor, row.id);
}
