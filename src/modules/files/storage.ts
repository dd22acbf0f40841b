import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Content-addressed file storage: a file lives at `<filesDir>/<sha256[0:2]>/<sha256>`, so the
 * same bytes are stored once however often they are uploaded. Files are written to a temporary
 * name in the same directory and renamed into place, so a half-written file is never visible
 * under its final name (rename is atomic within one file system).
 */
export function sha256Of(bytes: Buffer): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

export function contentPath(filesDir: string, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('not a sha256 hex digest');
  return path.join(filesDir, sha256.slice(0, 2), sha256);
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

export async function writeContent(filesDir: string, bytes: Buffer): Promise<string> {
  const sha256 = sha256Of(bytes);
  const target = contentPath(filesDir, sha256);
  if (await exists(target)) {
    // Touch it: the unattached-file cleanup only removes files untouched for a day.
    const now = new Date();
    await fs.utimes(target, now, now);
    return sha256;
  }
  await fs.mkdir(path.dirname(target), { recursive: true });
  const temp = `${path.dirname(target)}/.${sha256}.${crypto.randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await fs.open(temp, 'wx', 0o640);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, target);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  return sha256;
}

/**
 * Removes a stored file if it has not been touched since `untouchedSince` (a concurrent upload
 * of the same bytes touches it, and then it stays).
 */
export async function removeContentIfUntouched(filesDir: string, sha256: string, untouchedSince: Date): Promise<boolean> {
  const file = contentPath(filesDir, sha256);
  try {
    const stat = await fs.stat(file);
    if (stat.mtime.getTime() > untouchedSince.getTime()) return false;
    await fs.rm(file, { force: true });
    return true;
  } catch {
    return false;
  }
}
