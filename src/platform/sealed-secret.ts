import crypto from 'node:crypto';
import { deriveSecretKey } from './secrets.js';

/**
 * Credentials at rest (IMAP passwords, Stripe API keys and webhook secrets): AES-256-GCM under a
 * key derived from the instance secret for one purpose. The associated data binds a ciphertext to
 * its row (e.g. `mailbox:<id>`), so a value copied onto another row does not decrypt.
 * Stored as `v1.<base64 of iv | tag | ciphertext>`.
 */
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface SealContext {
  /** Key separation: one derived key per kind of secret. */
  purpose: string;
  /** Authenticated, not encrypted: where the value belongs. */
  associatedData: string;
}

export function sealSecret(instanceSecret: string, context: SealContext, plaintext: string): string {
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv('aes-256-gcm', deriveSecretKey(instanceSecret, context.purpose), iv);
  cipher.setAAD(Buffer.from(context.associatedData));
  const encrypted = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), encrypted]).toString('base64')}`;
}

/** Thrown for a value that does not decrypt: tampered, moved to another row, or another instance secret. */
export class SealedSecretUnreadableError extends Error {
  constructor(message = 'A stored secret cannot be decrypted (was the instance secret replaced?)') {
    super(message);
    this.name = 'SealedSecretUnreadableError';
  }
}

export function openSealedSecret(instanceSecret: string, context: SealContext, sealed: string): string {
  const [version, payload] = sealed.split('.', 2);
  if (version !== VERSION || !payload) throw new SealedSecretUnreadableError();
  const bytes = Buffer.from(payload, 'base64');
  if (bytes.length < IV_BYTES + TAG_BYTES) throw new SealedSecretUnreadableError();
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', deriveSecretKey(instanceSecret, context.purpose), bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context.associatedData));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new SealedSecretUnreadableError();
  }
}
