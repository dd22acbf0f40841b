import crypto from 'node:crypto';
import { randomToken } from './tokens.js';
import type { Db } from '../db/database.js';

/**
 * The installation's signing secret, created once in the database so every process behind a
 * proxy signs and verifies with the same key, embedded or on PostgreSQL.
 */
export async function loadInstanceSecret(db: Db, name = 'signing'): Promise<string> {
  await db
    .insertInto('instance_secrets')
    .values({ name, value: randomToken(48) })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db.selectFrom('instance_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return row.value;
}

/**
 * Reads the secret without the create-if-missing write: for read paths (signing download links),
 * where start-up (loadInstanceSecret) has already created it.
 */
export async function readInstanceSecret(db: Db, name = 'signing'): Promise<string> {
  const row = await db.selectFrom('instance_secrets').select('value').where('name', '=', name).executeTakeFirst();
  return row?.value ?? loadInstanceSecret(db, name);
}

/**
 * A 256-bit key for one purpose (e.g. `mailbox.imap_password`), derived from the instance secret
 * with HKDF-SHA256, so encrypting stored credentials never reuses the signing key itself.
 */
export function deriveSecretKey(secret: string, purpose: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', secret, 'baton', `baton:${purpose}`, 32));
}
