import { sql, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { conflict, notFound } from '../../platform/errors.js';
import type { JsonObject } from '../../platform/schema.js';
import type { DisputeEvidenceItemsTable, DisputeSettingsTable, DisputeSubmissionsTable, EscalationThreshold } from './schema.js';
import { authorizeDisputes, isUuid } from './store.js';

/** SQL of the evidence items, submissions, settings and escalations of disputes. */

export type EvidenceRow = Selectable<DisputeEvidenceItemsTable>;
export type SubmissionRow = Selectable<DisputeSubmissionsTable>;
export type NewEvidenceRow = Omit<Insertable<DisputeEvidenceItemsTable>, 'workspace_id' | 'dispute_id'>;
export type EvidenceChanges = Pick<
  Updateable<DisputeEvidenceItemsTable>,
  'kind' | 'title' | 'body' | 'included' | 'position' | 'edited_at'
>;

export async function selectEvidence(db: Db, actor: Actor, disputeId: string): Promise<EvidenceRow[]> {
  const workspaceId = authorizeDisputes(actor, 'dispute.read');
  return db
    .selectFrom('dispute_evidence_items')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('dispute_id', '=', disputeId)
    .orderBy('position')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function loadEvidenceItem(db: Db, actor: Actor, disputeId: string, itemId: string): Promise<EvidenceRow> {
  const workspaceId = authorizeDisputes(actor, 'dispute.read');
  const row = isUuid(itemId)
    ? await db
        .selectFrom('dispute_evidence_items')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('dispute_id', '=', disputeId)
        .where('id', '=', itemId)
        .executeTakeFirst()
    : undefined;
  if (!row) throw notFound('dispute_evidence_item');
  return row;
}

export async function nextEvidencePosition(tx: Db, actor: Actor, disputeId: string): Promise<number> {
  const workspaceId = authorizeDisputes(actor, 'dispute.write');
  const row = await tx
    .selectFrom('dispute_evidence_items')
    .select(sql<number>`coalesce(max(position), -1)::int + 1`.as('next'))
    .where('workspace_id', '=', workspaceId)
    .where('dispute_id', '=', disputeId)
    .executeTakeFirstOrThrow();
  return row.next;
}

export async function insertEvidence(tx: Db, actor: Actor, disputeId: string, rows: NewEvidenceRow[]): Promise<EvidenceRow[]> {
  const workspaceId = authorizeDisputes(actor, 'dispute.write');
  if (rows.length === 0) return [];
  return tx
    .insertInto('dispute_evidence_items')
    .values(rows.map((r) => ({ ...r, workspace_id: workspaceId, dispute_id: disputeId })))
    .returningAll()
    .execute();
}

export async function updateEvidence(
  tx: Db,
  actor: Actor,
  disputeId: string,
  itemId: string,
  changes: EvidenceChanges,
): Promise<EvidenceRow> {
  const workspaceId = authorizeDisputes(actor, 'dispute.write');
  const row = await tx
    .updateTable('dispute_evidence_items')
    .set({ ...changes, updated_at: sql<Date>`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('dispute_id', '=', disputeId)
    .where('id', '=', itemId)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw notFound('dispute_evidence_item');
  return row;
}

export async function deleteEvidence(tx: Db, actor: Actor, disputeId: string, itemId: string): Promise<void> {
  const workspaceId = authorizeDisputes(actor, 'dispute.write');
  const deleted = isUuid(itemId)
    ? await tx
        .deleteFrom('dispute_evidence_items')
        .where('workspace_id', '=', workspaceId)
        .where('dispute_id', '=', disputeId)
        .where('id', '=', itemId)
        .returning('id')
        .executeTakeFirst()
    : undefined;
  if (!deleted) throw notFound('dispute_evidence_item');
}

/** Prefilled items the agent did not change: what a new prefill replaces. */
export async function deleteUneditedPrefill(tx: Db, actor: Actor, disputeId: string): Promise<number> {
  const workspaceId = authorizeDisputes(actor, 'dispute.write');
  const rows = await tx
    .deleteFrom('dispute_evidence_items')
    .where('workspace_id', '=', workspaceId)
    .where('dispute_id', '=', disputeId)
    .where('origin', '=', 'prefill')
    .where('edited_at', 'is', null)
    .returning('id')
    .execute();
  return rows.length;
}

export async function selectSubmission(db: Db, actor: Actor, disputeId: string): Promise<SubmissionRow | undefined> {
  const workspaceId = authorizeDisputes(actor, 'dispute.read');
  return db
    .selectFrom('dispute_submissions')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('dispute_id', '=', disputeId)
    .executeTakeFirst();
}

export const alreadySubmitted = (disputeId: string) =>
  conflict('dispute.already_submitted', 'Evidence for this dispute was already submitted; it can no longer change', {
    dispute_id: disputeId,
  });

const isUniqueViolation = (error: unknown) => typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';

/** The one submission of a dispute: the primary key refuses a second (409 dispute.already_submitted). */
export async function insertSubmission(
  tx: Db,
  actor: Actor,
  values: { disputeId: string; packetFileId: string | null; packetSha256: string; submittedBy: string | null },
): Promise<SubmissionRow> {
  const workspaceId = authorizeDisputes(actor, 'dispute.write');
  try {
    return await tx
      .insertInto('dispute_submissions')
      .values({
        dispute_id: values.disputeId,
        workspace_id: workspaceId,
        packet_file_id: values.packetFileId,
        packet_sha256: values.packetSha256,
        submitted_by: values.submittedBy,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    if (isUniqueViolation(error)) throw alreadySubmitted(values.disputeId);
    throw error;
  }
}

export async function setSubmissionResponse(tx: Db, actor: Actor, disputeId: string, response: JsonObject): Promise<void> {
  const workspaceId = authorizeDisputes(actor, 'dispute.write');
  await tx
    .updateTable('dispute_submissions')
    .set({ processor_response: JSON.stringify(response) })
    .where('workspace_id', '=', workspaceId)
    .where('dispute_id', '=', disputeId)
    .execute();
}

export type SettingsRow = Selectable<DisputeSettingsTable>;

export async function selectSettings(db: Db, workspaceId: string): Promise<SettingsRow | undefined> {
  return db.selectFrom('dispute_settings').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirst();
}

export async function upsertSettings(
  tx: Db,
  workspaceId: string,
  values: { refundPolicy: string; cancellationPolicy: string },
): Promise<SettingsRow> {
  return tx
    .insertInto('dispute_settings')
    .values({ workspace_id: workspaceId, refund_policy: values.refundPolicy, cancellation_policy: values.cancellationPolicy })
    .onConflict((oc) =>
      oc.column('workspace_id').doUpdateSet({
        refund_policy: values.refundPolicy,
        cancellation_policy: values.cancellationPolicy,
        updated_at: sql<Date>`now()`,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Claims one deadline escalation; false when it was already done (by this or another worker). */
export async function claimEscalation(tx: Db, workspaceId: string, disputeId: string, threshold: EscalationThreshold): Promise<boolean> {
  const row = await tx
    .insertInto('dispute_escalations')
    .values({ workspace_id: workspaceId, dispute_id: disputeId, threshold })
    .onConflict((oc) => oc.columns(['dispute_id', 'threshold']).doNothing())
    .returning('dispute_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function selectEscalations(db: Db, disputeIds: string[]): Promise<Set<string>> {
  if (disputeIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('dispute_escalations')
    .select(['dispute_id', 'threshold'])
    .where('dispute_id', 'in', disputeIds)
    .execute();
  return new Set(rows.map((r) => `${r.dispute_id}:${r.threshold}`));
}
