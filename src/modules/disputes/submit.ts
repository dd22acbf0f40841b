import type { AppContext } from '../../context.js';
import { inTransaction } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { unprocessable } from '../../platform/errors.js';
import { recordBillingEvent } from '../billing/events.js';
import { connectorFor, ledgerConnector } from '../billing/connectors/index.js';
import { prepareUpload, recordUpload } from '../files/service.js';
import { noteOnDisputeCase, recordDisputeCaseEvent } from './dispute-case.js';
import { alreadySubmitted, insertSubmission, selectEvidence, selectSubmission, setSubmissionResponse } from './evidence-store.js';
import { getDispute, RESPONDABLE } from './get-dispute.js';
import { buildPacket } from './packet.js';
import { stripeEvidenceFields } from './stripe-fields.js';
import { loadDispute, updateDisputeRow } from './store.js';
import type { DisputeView } from './views.js';

/**
 * Submits the evidence once: the packet PDF is stored as a file, the submission row claimed (its
 * primary key refuses a second one, also from a concurrent request), and the evidence sent to the
 * processor with the idempotency key `dispute-submit:<id>` (the text fields, and the packet PDF
 * uploaded as the `uncategorized_file` evidence), all in one transaction: a processor
 * error rolls the claim back so the agent can try again, and the retry reuses the key, so the
 * processor never records two submissions.
 */
export async function submitDisputeEvidence(ctx: AppContext, actor: Actor, disputeId: string, now = new Date()): Promise<DisputeView> {
  return inTransaction(ctx.db, async (tx) => {
    const dispute = await loadDispute(tx, actor, disputeId, 'dispute.write', { forUpdate: true });
    if (await selectSubmission(tx, actor, dispute.id)) throw alreadySubmitted(dispute.id);
    if (!RESPONDABLE.includes(dispute.status)) {
      throw unprocessable(
        'dispute.not_awaiting_evidence',
        `Evidence can only be submitted while the dispute needs a response (it is ${dispute.status})`,
        {
          status: dispute.status,
        },
      );
    }
    if (dispute.evidence_due_at && dispute.evidence_due_at.getTime() <= now.getTime()) {
      throw unprocessable('dispute.evidence_overdue', 'The evidence due date has passed; the processor no longer accepts evidence', {
        evidence_due_at: dispute.evidence_due_at.toISOString(),
      });
    }
    const items = await selectEvidence(tx, actor, dispute.id);
    const included = items.filter((i) => i.included && i.body.trim().length > 0);
    if (included.length === 0) {
      throw unprocessable('dispute.no_evidence', 'Include at least one evidence item with content before submitting');
    }

    const packet = await buildPacket(tx, actor, dispute, items);
    const file = await recordUpload(tx, actor.workspaceId, await prepareUpload(ctx, { filename: packet.filename, bytes: packet.bytes }));
    await insertSubmission(tx, actor, {
      disputeId: dispute.id,
      packetFileId: file.id,
      packetSha256: packet.sha256,
      submittedBy: actor.kind === 'agent' ? actor.agentId : null,
    });

    // A manual dispute is unknown to the processor: the ledger records it.
    const connector = dispute.source === 'manual' ? ledgerConnector : await connectorFor(ctx, tx, actor.workspaceId);
    const fields = stripeEvidenceFields({
      reason: dispute.reason,
      customerName: packet.input.customer.name,
      customerEmail: packet.input.customer.email,
      items: included.map((i) => ({ kind: i.kind, title: i.title, body: i.body })),
    });
    const { response } = await connector.submitDisputeEvidence({
      disputeExternalId: dispute.external_id,
      fields,
      // The packet goes along as a file (Stripe: uploaded, then the `uncategorized_file` evidence).
      packet: { filename: packet.filename, bytes: packet.bytes, sha256: packet.sha256 },
      idempotencyKey: `dispute-submit:${dispute.id}`,
    });
    await setSubmissionResponse(tx, actor, dispute.id, { connector: connector.name, ...response });
    // Stripe reports the new status by webhook; Baton's own ledger moves it here.
    if (connector.name === 'ledger') {
      await updateDisputeRow(tx, actor, dispute.id, {
        status: dispute.status === 'warning_needs_response' ? 'warning_under_review' : 'under_review',
      });
    }

    await recordBillingEvent(
      tx,
      actor,
      'dispute.evidence_submitted',
      { type: 'dispute', id: dispute.id },
      { customer_id: dispute.customer_id, dispute_id: dispute.id, case_id: dispute.case_id },
    );
    if (dispute.case_id) {
      // The note carries the packet: attached to a message, the file is kept (unattached uploads are cleaned up).
      await noteOnDisputeCase(
        tx,
        actor,
        dispute.case_id,
        `Dispute evidence submitted (${included.length} items, via ${connector.name}). The packet is attached.`,
        { dispute_id: dispute.id },
        [file.id],
      );
      await recordDisputeCaseEvent(tx, actor, dispute.case_id, 'dispute_evidence_submitted', {
        dispute_id: dispute.id,
        packet_file_id: file.id,
        packet_sha256: packet.sha256,
        connector: connector.name,
      });
    }
    await recordAudit(tx, actor, {
      action: 'dispute.evidence_submitted',
      targetType: 'dispute',
      targetId: dispute.id,
      details: {
        packet_sha256: packet.sha256,
        fields: Object.keys(fields).sort(),
        processor_file_id: typeof response.uncategorized_file === 'string' ? response.uncategorized_file : null,
      },
    });
    return getDispute(tx, actor, dispute.id);
  });
}
