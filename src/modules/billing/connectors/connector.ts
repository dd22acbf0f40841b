import type { JsonObject } from '../../../platform/schema.js';
import type { BillingConnectorName, RefundStatus } from '../schema.js';

/**
 * What Baton asks of a payment processor. Money actions (refund, credit) and dispute evidence go
 * through the workspace's connector; `ledger` records them in Baton only, `stripe` calls Stripe
 * with an idempotency key so a retried job never refunds twice.
 */
export interface ProcessorRefundRequest {
  /** Baton's billing_refunds.id: sent as metadata so the processor's webhook finds our row. */
  refundId: string;
  paymentExternalId: string | null;
  amountMinor: number;
  currency: string;
  reason: string;
  idempotencyKey: string;
}

export interface ProcessorCreditRequest {
  creditId: string;
  accountExternalId: string | null;
  amountMinor: number;
  currency: string;
  description: string;
  idempotencyKey: string;
}

/** Evidence as Stripe's dispute evidence fields name it (text fields; files are uploaded ids). */
export interface ProcessorDisputeEvidence {
  disputeExternalId: string | null;
  fields: Record<string, string>;
  /** The evidence packet PDF: uploaded and sent as the `uncategorized_file` evidence. */
  packet?: { filename: string; bytes: Buffer; sha256: string } | undefined;
  idempotencyKey: string;
}

export interface BillingConnector {
  readonly name: BillingConnectorName;
  createRefund(request: ProcessorRefundRequest): Promise<{ externalId: string | null; status: RefundStatus }>;
  grantCredit(request: ProcessorCreditRequest): Promise<{ externalId: string | null }>;
  submitDisputeEvidence(request: ProcessorDisputeEvidence): Promise<{ response: JsonObject }>;
}

/** Baton's own records are the books: nothing to call, the action is done when it is recorded. */
export const ledgerConnector: BillingConnector = {
  name: 'ledger',
  async createRefund() {
    return { externalId: null, status: 'succeeded' };
  },
  async grantCredit() {
    return { externalId: null };
  },
  async submitDisputeEvidence(request) {
    const packet = request.packet ? { packet_sha256: request.packet.sha256 } : {};
    return { response: { recorded: true, fields: Object.keys(request.fields).sort(), ...packet } };
  },
};
