import Stripe from 'stripe';
import { validationError } from '../../../platform/errors.js';

/** Stripe's own limit for the age of a signed delivery (CONVENTIONS.md, Webhooks). */
export const STRIPE_SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * Checks the `Stripe-Signature` header over the raw body against every configured secret (several
 * during a rotation) with the official library (HMAC-SHA256, constant-time compare, timestamp
 * tolerance). A signature that matches but is too old is told apart from one that matches no secret.
 */
export function verifyStripeEvent(
  rawBody: Buffer,
  header: string | undefined,
  secrets: readonly string[],
  receivedAtMs = Date.now(),
): Stripe.Event {
  if (!header) throw validationError('webhook.invalid_signature', 'The Stripe-Signature header is missing');
  let stale = false;
  for (const secret of secrets) {
    try {
      return checkedShape(
        Stripe.webhooks.constructEvent(rawBody, header, secret, STRIPE_SIGNATURE_TOLERANCE_SECONDS, undefined, receivedAtMs),
      );
    } catch (error) {
      if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
        if (/tolerance/i.test(error.message)) stale = true;
        continue;
      }
      // The signature matched (it is checked before parsing) but the body is not JSON or not an event.
      throw validationError('webhook.invalid_payload', 'The signed body is not a Stripe event (JSON with object "event")');
    }
  }
  if (stale) {
    throw validationError(
      'webhook.timestamp_out_of_tolerance',
      `The signature is older than ${STRIPE_SIGNATURE_TOLERANCE_SECONDS} seconds (a replayed delivery?)`,
    );
  }
  throw validationError('webhook.invalid_signature', 'The Stripe-Signature header does not match any configured webhook secret');
}

function checkedShape(event: Stripe.Event): Stripe.Event {
  const e = event as unknown as Record<string, unknown>;
  const data = e.data as Record<string, unknown> | null | undefined;
  if (
    typeof e.id !== 'string' ||
    e.id.length === 0 ||
    e.id.length > 255 ||
    typeof e.type !== 'string' ||
    e.type.length > 255 ||
    typeof e.created !== 'number' ||
    !Number.isFinite(e.created) ||
    typeof data !== 'object' ||
    data === null ||
    typeof data.object !== 'object' ||
    data.object === null
  ) {
    throw validationError('webhook.invalid_payload', 'The signed body is not a Stripe event (id, type, created, data.object)');
  }
  return event;
}
