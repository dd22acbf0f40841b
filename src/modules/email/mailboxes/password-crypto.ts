import crypto from 'node:crypto';
import { deriveSecretKey } from '../../../platform/secrets.js';

/**
 * IMAP passwords at rest: AES-256-GCM under a key derived from the instance secret for this one
 * purpose. The mailbox id is authenticated data, so a ciphertext copied onto another mailbox row
 * does not decrypt. Stored as `v1.<base64 of iv | tag | ciphertext>`.
 */
const PURPOSE = 'mailbox.imap_password';
const VERSION = 'v1';

export function encryptImapPassword(secret: string, mailboxId: string, password: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', deriveSecretKey(secret, PURPOSE), iv);
  cipher.setAAD(Buffer.from(`mailbox:${mailboxId}`));
  const encrypted = Buffer.concat([cipher.update(password, 'utf8'), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), encrypted]).toString('base64')}`;
}

export class ImapPasswordUnreadableError extends Error {
  constructor() {
    super('The stored IMAP password cannot be decrypted (was the instance secret replaced?); enter the password again');
    this.name = 'ImapPasswordUnreadableError';
  }
}

export function decryptImapPassword(secret: string, mailboxId: string, stored: string): string {
  const [version, payload] = stored.split('.', 2);
  if (version !== VERSION || !payload) throw new ImapPasswordUnreadableError();
  const bytes = Buffer.from(payload, 'base64');
  if (bytes.length < 28) throw new ImapPasswordUnreadableError();
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', deriveSecretKey(secret, PURPOSE), bytes.subarray(0, 12));
    decipher.setAAD(Buffer.from(`mailbox:${mailboxId}`));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    throw new ImapPasswordUnreadableError();
  }
}
