import { describe, expect, it } from 'vitest';
import { baseAddress, caseIdFromReplyAddress, replyAddressFor } from './reply-address.js';

const secret = 'test-secret-for-reply-addresses';
const caseId = '0b6f7c1e-2d3a-4b5c-8d9e-0f1a2b3c4d5e';

describe('signed reply address', () => {
  it('round-trips the case id for its own mailbox, whatever the case of the letters', () => {
    const address = replyAddressFor(secret, caseId, 'Billing@Demo.test');
    expect(address).toMatch(/^billing\+c[0-9a-f]{32}\.[0-9a-f]{16}@demo\.test$/);
    expect(caseIdFromReplyAddress(secret, address, 'billing@demo.test')).toBe(caseId);
    expect(caseIdFromReplyAddress(secret, address.toUpperCase(), 'billing@demo.test')).toBe(caseId);
    expect(baseAddress(address)).toBe('billing@demo.test');
  });

  it('refuses a forged signature, another mailbox, another secret and a changed case id', () => {
    const address = replyAddressFor(secret, caseId, 'billing@demo.test');
    const forged = address.replace(/\.[0-9a-f]{16}@/, '.0000000000000000@');
    expect(caseIdFromReplyAddress(secret, forged, 'billing@demo.test')).toBeNull();
    expect(caseIdFromReplyAddress(secret, address.replace('billing+', 'support+'), 'support@demo.test')).toBeNull();
    expect(caseIdFromReplyAddress('another-secret', address, 'billing@demo.test')).toBeNull();
    const otherCase = address.replace(/\+c0b/, '+c0c');
    expect(caseIdFromReplyAddress(secret, otherCase, 'billing@demo.test')).toBeNull();
    expect(caseIdFromReplyAddress(secret, 'billing@demo.test', 'billing@demo.test')).toBeNull();
    expect(caseIdFromReplyAddress(secret, 'billing+tag@demo.test', 'billing@demo.test')).toBeNull();
  });
});
