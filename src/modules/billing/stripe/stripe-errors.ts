import Stripe from 'stripe';
import { AppError, conflict, unprocessable } from '../../../platform/errors.js';

/**
 * Stripe's errors as Baton's: the processor refused (422 `billing.processor_declined`, with
 * Stripe's code for the agent), the API key is wrong (422 `billing.processor_auth_failed`), or
 * Stripe could not be reached or answered 5xx/429 (503 `billing.processor_unavailable`, retryable:
 * the same idempotency key makes a retry safe).
 */
export function processorError(error: unknown, action: string): unknown {
  const e = Stripe.errors;
  // Not from the Stripe client (a bug, a database error): left as it is.
  if (!(error instanceof e.StripeError)) return error;
  if (error instanceof e.StripeCardError || error instanceof e.StripeInvalidRequestError) {
    return unprocessable('billing.processor_declined', `Stripe refused to ${action}: ${error.message}`, {
      processor: 'stripe',
      processor_code: error.code ?? null,
      decline_code: error.decline_code ?? null,
      param: error.param ?? null,
      retryable: false,
    });
  }
  if (error instanceof e.StripeAuthenticationError || error instanceof e.StripePermissionError) {
    return unprocessable('billing.processor_auth_failed', 'Stripe refused the API key; an admin must update it in the billing settings', {
      processor: 'stripe',
      retryable: false,
    });
  }
  if (error instanceof e.StripeIdempotencyError) {
    return conflict('billing.processor_idempotency_conflict', `Stripe saw this idempotency key with different parameters (${action})`, {
      processor: 'stripe',
      retryable: false,
    });
  }
  // StripeAPIError (5xx), StripeRateLimitError (429), StripeConnectionError (timeout, refused).
  return new AppError('unavailable', 'billing.processor_unavailable', `Stripe could not be reached to ${action}; try again later`, {
    processor: 'stripe',
    retryable: true,
    cause: error.message.slice(0, 300),
  });
}
