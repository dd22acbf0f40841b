import type { AppContext } from '../../context.js';
import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { getCustomer } from '../customers/service.js';
import { readAttachments } from '../files/service.js';
import { paymentFacts } from './billing-port.js';
import { selectEvidence, selectSubmission, type EvidenceRow } from './evidence-store.js';
import { packetFilename } from './get-dispute.js';
import { renderPacketPdf, sha256Hex, type PacketInput } from './packet-pdf.js';
import { loadDispute, selectDisputes, type DisputeRow } from './store.js';

/** The packet of a dispute as it stands: facts from Baton's records, the included evidence items. */

export interface Packet {
  bytes: Buffer;
  sha256: string;
  filename: string;
  input: PacketInput;
}

export async function packetInput(db: Db, actor: Actor, dispute: DisputeRow, items: EvidenceRow[]): Promise<PacketInput> {
  const customer = await getCustomer(db, actor, dispute.customer_id);
  const [listRow] = await selectDisputes(db, actor, { id: dispute.id, limit: 1 });
  const payment = dispute.payment_id ? await paymentFacts(db, actor, dispute.payment_id) : null;
  const included = items.filter((i) => i.included);
  const newest = Math.max(dispute.created_at.getTime(), ...items.map((i) => i.updated_at.getTime()));
  return {
    dispute: {
      id: dispute.id,
      amountMinor: dispute.amount_minor,
      currency: dispute.currency,
      reason: dispute.reason,
      networkReasonCode: dispute.network_reason_code,
      status: dispute.status,
      evidenceDueAt: dispute.evidence_due_at,
      externalId: dispute.external_id,
      chargeExternalId: dispute.charge_external_id,
      createdAt: dispute.created_at,
    },
    customer: { name: customer.name, email: customer.emails.find((e) => e.is_primary)?.value ?? customer.emails[0]?.value ?? null },
    caseNumber: listRow?.case_number ?? null,
    methodSummary: payment?.methodSummary ?? null,
    items: included.map((i) => ({ kind: i.kind, title: i.title, body: i.body })),
    // Seconds precision: a timestamp in the document is all it needs, and it keeps re-renders identical.
    generatedAt: new Date(Math.floor(newest / 1000) * 1000),
  };
}

export async function buildPacket(db: Db, actor: Actor, dispute: DisputeRow, items?: EvidenceRow[]): Promise<Packet> {
  const input = await packetInput(db, actor, dispute, items ?? (await selectEvidence(db, actor, dispute.id)));
  const bytes = await renderPacketPdf(input);
  return { bytes, sha256: sha256Hex(bytes), filename: packetFilename(dispute), input };
}

export async function packetOfDispute(db: Db, actor: Actor, disputeId: string): Promise<Packet> {
  return buildPacket(db, actor, await loadDispute(db, actor, disputeId, 'dispute.read'));
}

/**
 * What GET packet.pdf serves: the stored packet once evidence was submitted (exactly what the
 * processor got), otherwise the packet as it stands now.
 */
export async function currentPacket(
  ctx: AppContext,
  actor: Actor,
  disputeId: string,
): Promise<{ bytes: Buffer; sha256: string; filename: string }> {
  const dispute = await loadDispute(ctx.db, actor, disputeId, 'dispute.read');
  const submission = await selectSubmission(ctx.db, actor, dispute.id);
  if (submission?.packet_file_id) {
    try {
      const [file] = await readAttachments(ctx, ctx.db, actor.workspaceId, [submission.packet_file_id]);
      if (file) return { bytes: file.bytes, sha256: submission.packet_sha256, filename: packetFilename(dispute) };
    } catch {
      // The stored file is gone (cleaned up with a closed case): render it again from the frozen evidence.
    }
  }
  const packet = await buildPacket(ctx.db, actor, dispute);
  return { bytes: packet.bytes, sha256: packet.sha256, filename: packet.filename };
}
