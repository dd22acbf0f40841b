import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export class DataDirLockedError extends Error {
  constructor(dir: string, holder: string) {
    super(
      `The data directory ${dir} is already in use by another Baton process (${holder}).\n` +
        'Two processes on one embedded database corrupt it. Stop the other process, or set DATABASE_URL ' +
        'to share a PostgreSQL server between several processes.',
    );
    this.name = 'DataDirLockedError';
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes an exclusive lock on an embedded database directory: a lock file created with O_EXCL
 * holding the owner's pid. A lock left by a dead process on this host is taken over.
 * Returns the release function.
 */
export function lockDataDir(dir: string): () => void {
  fs.mkdirSync(dir, { recursive: true });
  const lockPath = path.join(dir, 'baton.lock');
  const me = JSON.stringify({ pid: process.pid, host: os.hostname(), since: new Date().toISOString() });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(lockPath, me, { flag: 'wx' });
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          const content = fs.readFileSync(lockPath, 'utf8');
          if (content === me) fs.unlinkSync(lockPath);
        } catch {
          /* already gone */
        }
      };
      process.once('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder: { pid?: number; host?: string } = {};
      try {
        holder = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as typeof holder;
      } catch {
        /* unreadable: treated as stale below */
      }
      const sameHost = holder.host === undefined || holder.host === os.hostname();
      if (holder.pid !== undefined && (!sameHost || processIsAlive(holder.pid))) {
        throw new DataDirLockedError(dir, `pid ${holder.pid} on ${holder.host ?? 'this host'}`);
      }
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new DataDirLockedError(dir, 'lock file keeps reappearing');
}
