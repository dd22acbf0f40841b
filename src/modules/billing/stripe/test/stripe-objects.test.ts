import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { dateOf, idOf, methodSummaryOf } from '../stripe-objects.js';
import { verifyStripeEvent } from '../webhook-verify.js';
import { chargeObject, stripeEvent } from './stripe-fixtures.js';
import { newWebhookSecret } from './webhook-support.js';

describe('Stripe object helpers', () => {
  it('summarises the payment method without more than brand and last four digits', () => {
    expect(methodSummaryOf(chargeObject({}) as never)).toBe('Visa •••• 4242');
    expect(
      methodSummaryOf({
        id: 'ch',
        payment_method_details: { type: 'card', card: { brand: 'amex', last4: '0005', wallet: { type: 'apple_pay' } } },
      }),
    ).toBe('American Express •••• 0005 (Apple Pay)');
    expect(methodSummaryOf({ id: 'ch', payment_method_details: { type: 'sepa_debit', sepa_debit: { last4: '3000' } } })).toBe(
      'SEPA Direct Debit •••• 3000',
    );
    expect(methodSummaryOf({ id: 'ch', payment_method_details: { type: 'paypal' } })).toBe('Paypal');
    expect(methodSummaryOf({ id: 'ch', payment_method_details: { type: 'card', card: { brand: 'visa', last4: '<b>1' } } })).toBe('Visa');
    expect(methodSummaryOf({ id: 'ch' })).toBeNull();
  });

  it('reads ids of expanded or plain references and Stripe timestamps', () => {
    expect(idOf('cus_1')).toBe('cus_1');
    expect(idOf({ id: 'cus_2' })).toBe('cus_2');
    expect(idOf(null)).toBeNull();
    expect(idOf('')).toBeNull();
    expect(dateOf(1723679999)?.toISOString()).toBe('2024-08-14T23:59:59.000Z');
    expect(dateOf(null)).toBeNull();
    expect(dateOf(0)).toBeNull();
  });
});

describe('verifyStripeEvent', () => {
  const payload = JSON.stringify(stripeEvent('charge.succeeded', chargeObject({ email: 'a@example.test' })));
  const sign = (secret: string, timestamp = Math.floor(Date.now() / 1000)) =>
    Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });

  it('tries every secret and tells a stale signature from a forged one', () => {
    const [a, b] = [newWebhookSecret(), newWebhookSecret()];
    expect(verifyStripeEvent(Buffer.from(payload), sign(b), [a, b]).type).toBe('charge.succeeded');
    expect(() => verifyStripeEvent(Buffer.from(payload), sign(b, Math.floor(Date.now() / 1000) - 301), [a, b])).toThrow(
      expect.objectContaining({ code: 'webhook.timestamp_out_of_tolerance' }),
    );
    expect(() => verifyStripeEvent(Buffer.from(payload), sign(newWebhookSecret()), [a, b])).toThrow(
      expect.objectContaining({ code: 'webhook.invalid_signature' }),
    );
    expect(() => verifyStripeEvent(Buffer.from(payload), undefined, [a])).toThrow(
      expect.objectContaining({ code: 'webhook.invalid_signature' }),
    );
    expect(() => verifyStripeEvent(Buffer.from(payload), sign(a), [])).toThrow(
      expect.objectContaining({ code: 'webhook.invalid_signature' }),
    );
    // Within the tolerance: 299 seconds old still verifies.
    expect(verifyStripeEvent(Buffer.from(payload), sign(a, Math.floor(Date.now() / 1000) - 299), [a]).id).toMatch(/^evt_/);
  });
});
