import crypto from 'node:crypto';
import type { Db } from '../db/database.js';
import { inTransaction } from '../db/database.js';
import { unprocessable } from './errors.js';

/** What a create needs for Idempotency-Key handling (computed by the route from the request). */
export interface IdempotencyRequest {
  key: string | undefined;
  requestHash: string;
}

export interface IdempotentResult<T> {
  statusCode: number;
  body: T;
  /** True when the stored result of an earlier request with the same key is returned. */
  replayed: boolean;
}

export function hashRequest(method: string, url: string, body: unknown): string {
  return crypto
    .createHash('sha256')
    .update(`${method} ${url}\n${JSON.stringify(body ?? null)}`)
    .digest('hex');
}

/**
 * Runs a create under an Idempotency-Key: the key row is inserted in the same transaction as the
 * create, so a concurrent request with the same key waits on the unique index and then receives
 * the first result; a key reused with a different request body is refused (422). Without a key
 * the create simply runs in a transaction.
 */
export async function withIdempotency<T>(
  db: Db,
  guard: { workspaceId: string; principal: string; key: string | undefined; requestHash: string },
  create: (tx: Db) => Promise<{ statusCode: number; body: T }>,
): Promise<IdempotentResult<T>> {
  if (!guard.key) {
    const result = await inTransaction(db, create);
    return { ...result, replayed: false };
  }
  const key = guard.key;
  return inTransaction(db, async (tx) => {
    const inserted = await tx
      .insertInto('idempotency_keys')
      .values({
        workspace_id: guard.workspaceId,
        principal: guard.principal,
        key,
        request_hash: guard.requestHash,
        status_code: 0,
        response: 'null',
      })
      .onConflict((oc) => oc.doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!inserted) {
      const existing = await tx
        .selectFrom('idempotency_keys')
        .select(['request_hash', 'status_code', 'response'])
        .where('workspace_id', '=', guard.workspaceId)
        .where('principal', '=', guard.principal)
        .where('key', '=', key)
        .executeTakeFirstOrThrow();
      if (existing.request_hash !== guard.requestHash) {
        throw unprocessable('idempotency.key_reused', 'This Idempotency-Key was already used for a different request');
      }
      return { statusCode: existing.status_code, body: existing.response as T, replayed: true };
    }
    const result = await create(tx);
    await tx
      .updateTable('idempotency_keys')
      .set({ status_code: result.statusCode, response: JSON.stringify(result.body) })
      .where('workspace_id', '=', guard.workspaceId)
      .where('principal', '=', guard.principal)
      .where('key', '=', key)
      .execute();
    return { ...result, replayed: false };
  });
}
