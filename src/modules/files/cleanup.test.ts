import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getTestContext } from '../../test/harness.js';
import { createWorkspace } from '../../test/factories.js';
import { cleanupUnattachedFiles } from './cleanup.js';
import { storeUpload } from './service.js';
import { contentPath } from './storage.js';

describe('unattached upload cleanup', () => {
  it('removes day-old unattached uploads and their files, keeping shared content', async () => {
    const ctx = await getTestContext();
    const ws = await createWorkspace();
    const lonely = await storeUpload(ctx, {
      workspaceId: ws.id,
      filename: 'lonely.txt',
      bytes: Buffer.from(`only once ${crypto.randomUUID()}`),
    });
    const sharedBytes = Buffer.from(`shared ${crypto.randomUUID()}`);
    const old = await storeUpload(ctx, { workspaceId: ws.id, filename: 'a.txt', bytes: sharedBytes });
    const fresh = await storeUpload(ctx, { workspaceId: ws.id, filename: 'b.txt', bytes: sharedBytes });
    const rows = await ctx.db.selectFrom('attachments').select(['id', 'sha256']).where('id', 'in', [lonely.id, old.id, fresh.id]).execute();
    const sha = Object.fromEntries(rows.map((r) => [r.id, r.sha256]));
    // Age the first two uploads (and the lonely file) past a day.
    const dayAgo = new Date(Date.now() - 2 * 86_400_000);
    await ctx.db.updateTable('attachments').set({ created_at: dayAgo }).where('id', 'in', [lonely.id, old.id]).execute();
    fs.utimesSync(contentPath(ctx.filesDir, sha[lonely.id]!), dayAgo, dayAgo);

    const result = await cleanupUnattachedFiles(ctx);
    expect(result.rows).toBeGreaterThanOrEqual(2);
    const left = await ctx.db.selectFrom('attachments').select('id').where('id', 'in', [lonely.id, old.id, fresh.id]).execute();
    expect(left.map((r) => r.id)).toEqual([fresh.id]);
    expect(fs.existsSync(contentPath(ctx.filesDir, sha[lonely.id]!))).toBe(false);
    // Still referenced by the fresh upload: kept.
    expect(fs.existsSync(contentPath(ctx.filesDir, sha[fresh.id]!))).toBe(true);
  });
});
