import { describe, expect, it } from 'vitest';
import { encryptImapPassword, decryptImapPassword, ImapPasswordUnreadableError } from '../modules/email/mailboxes/password-crypto.js';
import { openSealedSecret, sealSecret, SealedSecretUnreadableError } from './sealed-secret.js';

const context = { purpose: 'test.secret', associatedData: 'row:1' };

describe('sealed secrets', () => {
  it('round-trips, with a fresh IV each time', () => {
    const a = sealSecret('instance', context, 'sk_test_123');
    const b = sealSecret('instance', context, 'sk_test_123');
    expect(a).toMatch(/^v1\./);
    expect(a).not.toBe(b);
    expect(openSealedSecret('instance', context, a)).toBe('sk_test_123');
    expect(openSealedSecret('instance', context, sealSecret('instance', context, ''))).toBe('');
  });

  it('does not open under another row, purpose or instance secret, nor when tampered with', () => {
    const sealed = sealSecret('instance', context, 'whsec_abc');
    const bytes = Buffer.from(sealed.slice(3), 'base64');
    bytes[bytes.length - 1]! ^= 1;
    const attempts = [
      () => openSealedSecret('instance', { ...context, associatedData: 'row:2' }, sealed),
      () => openSealedSecret('instance', { ...context, purpose: 'other' }, sealed),
      () => openSealedSecret('other-instance', context, sealed),
      () => openSealedSecret('instance', context, `v1.${bytes.toString('base64')}`),
      () => openSealedSecret('instance', context, 'v2.AAAA'),
      () => openSealedSecret('instance', context, 'v1.AAAA'),
      () => openSealedSecret('instance', context, 'garbage'),
    ];
    for (const attempt of attempts) expect(attempt).toThrow(SealedSecretUnreadableError);
  });

  it('keeps the IMAP password format: a value sealed by the mailbox helper opens as a sealed secret and back', () => {
    const stored = encryptImapPassword('instance', 'mb-1', 'Imap-Secret-42');
    expect(openSealedSecret('instance', { purpose: 'mailbox.imap_password', associatedData: 'mailbox:mb-1' }, stored)).toBe(
      'Imap-Secret-42',
    );
    expect(decryptImapPassword('instance', 'mb-1', stored)).toBe('Imap-Secret-42');
    expect(() => decryptImapPassword('instance', 'mb-2', stored)).toThrow(ImapPasswordUnreadableError);
    expect(() => decryptImapPassword('instance', 'mb-2', stored)).toThrow(/cannot be decrypted/);
  });
});
