import type Stripe from 'stripe';
import type { JsonObject } from '../../../platform/schema.js';
import { unprocessable } from '../../../platform/errors.js';
import type {
  BillingConnector,
  ProcessorCreditRequest,
  ProcessorDisputeEvidence,
  ProcessorRefundRequest,
} from '../connectors/connector.js';
import type { RefundStatus } from '../schema.js';
import { createStripeClient } from './stripe-client.js';
import { processorError } from './stripe-errors.js';

/**
 * The Stripe connector: every call carries the caller's idempotency key, so a job retried after
 * a crash or a timeout gets Stripe's first answer back instead of refunding twice.
 */
const STRIPE_REFUND_REASONS = new Set(['duplicate', 'fraudulent', 'requested_by_customer']);
// Stripe metadata values are at most 500 characters.
const metadataText = (value: string) => value.slice(0, 500);

export function stripeRefundStatus(status: string | null | undefined): RefundStatus {
  switch (status) {
    case 'succeeded':
      return 'succeeded';
    case 'failed':
      return 'failed';
    case 'canceled':
      return 'canceled';
    default:
      // pending, requires_action
      return 'pending';
  }
}

function missingReference(what: string) {
  return unprocessable('billing.processor_reference_missing', `This ${what} has no Stripe id; it cannot be sent to Stripe`, {
    processor: 'stripe',
  });
}

export function stripeConnector(client: Stripe): BillingConnector {
  return {
    name: 'stripe',

    async createRefund(request: ProcessorRefundRequest) {
      const reference = request.paymentExternalId;
      if (!reference) throw missingReference('payment');
      const reason = STRIPE_REFUND_REASONS.has(request.reason) ? (request.reason as Stripe.RefundCreateParams.Reason) : undefined;
      try {
        const refund = await client.refunds.create(
          {
            ...(reference.startsWith('pi_') ? { payment_intent: reference } : { charge: reference }),
            amount: request.amountMinor,
            ...(reason ? { reason } : {}),
            metadata: { baton_refund_id: request.refundId, ...(reason ? {} : { baton_reason: metadataText(request.reason) }) },
          },
          { idempotencyKey: request.idempotencyKey },
        );
        return { externalId: refund.id, status: stripeRefundStatus(refund.status) };
      } catch (error) {
        throw processorError(error, 'refund the payment');
      }
    },

    async grantCredit(request: ProcessorCreditRequest) {
      if (!request.accountExternalId) throw missingReference('billing account');
      try {
        // A negative customer balance is a credit Stripe applies to the next invoices.
        const transaction = await client.customers.createBalanceTransaction(
          request.accountExternalId,
          {
            amount: -request.amountMinor,
            currency: request.currency.toLowerCase(),
            description: metadataText(request.description),
            metadata: { baton_credit_id: request.creditId },
          },
          { idempotencyKey: request.idempotencyKey },
        );
        return { externalId: transaction.id };
      } catch (error) {
        throw processorError(error, 'credit the customer balance');
      }
    },

    async submitDisputeEvidence(request: ProcessorDisputeEvidence) {
      if (!request.disputeExternalId) throw missingReference('dispute');
      let fileId: string | null = null;
      if (request.packet) {
        try {
          // Uploads go to Stripe's files host; with an API base set, the client sends them there too.
          const file = await client.files.create(
            {
              purpose: 'dispute_evidence',
              file: { data: request.packet.bytes, name: request.packet.filename, type: 'application/pdf' },
            },
            // The packet's hash in the key: the same packet uploads once, a changed one anew.
            { idempotencyKey: `${request.idempotencyKey}:packet:${request.packet.sha256}` },
          );
          fileId = file.id;
        } catch (error) {
          throw processorError(error, 'upload the dispute evidence packet');
        }
      }
      const evidence = { ...request.fields, ...(fileId ? { uncategorized_file: fileId } : {}) };
      try {
        const dispute = await client.disputes.update(
          request.disputeExternalId,
          { evidence: evidence as Stripe.DisputeUpdateParams.Evidence, submit: true },
          { idempotencyKey: request.idempotencyKey },
        );
        const response: JsonObject = {
          id: dispute.id,
          status: dispute.status,
          submission_count: dispute.evidence_details?.submission_count ?? null,
          has_evidence: dispute.evidence_details?.has_evidence ?? null,
          ...(fileId ? { uncategorized_file: fileId } : {}),
        };
        return { response };
      } catch (error) {
        throw processorError(error, 'submit the dispute evidence');
      }
    },
  };
}

export function stripeConnectorFor(apiKey: string, apiBase: string | null): BillingConnector {
  return stripeConnector(createStripeClient(apiKey, apiBase));
}
