import { openSealedSecret, sealSecret, SealedSecretUnreadableError, type SealContext } from '../../../platform/sealed-secret.js';

/**
 * IMAP passwords at rest, sealed with platform/sealed-secret.ts. The mailbox id is authenticated
 * data, so a ciphertext copied onto another mailbox row does not decrypt.
 */
const sealContext = (mailboxId: string): SealContext => ({ purpose: 'mailbox.imap_password', associatedData: `mailbox:${mailboxId}` });

export function encryptImapPassword(secret: string, mailboxId: string, password: string): string {
  return sealSecret(secret, sealContext(mailboxId), password);
}

export class ImapPasswordUnreadableError extends SealedSecretUnreadableError {
  constructor() {
    super('The stored IMAP password cannot be decrypted (was the instance secret replaced?); enter the password again');
    this.name = 'ImapPasswordUnreadableError';
  }
}

export function decryptImapPassword(secret: string, mailboxId: string, stored: string): string {
  try {
    return openSealedSecret(secret, sealContext(mailboxId), stored);
  } catch (error) {
    if (error instanceof SealedSecretUnreadableError) throw new ImapPasswordUnreadableError();
    throw error;
  }
}
