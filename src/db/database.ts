import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.js';
import { NotificationListener } from './notification-listener.js';
import { SerialPGliteDialect } from './pglite-driver.js';
import type { Database } from './tables.js';

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** The embedded instance (PGlite only): tests dump a migrated template from it. */
  pglite?: PGlite;
  /** LISTEN on a channel; returns an unsubscribe function. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

// bigint columns (identity ids, sizes) fit in a JS number for Baton's lifetime; parse them as numbers on both drivers.
pg.types.setTypeParser(20, (v) => Number(v));

export interface OpenDatabaseOptions {
  databaseUrl?: string | undefined;
  /** Embedded data directory; omitted for an in-memory PGlite (tests). */
  dataDir?: string | undefined;
  /** A PGlite data-dir dump to start from (tests clone a migrated template). */
  loadDataDir?: Blob | File | undefined;
  poolSize?: number;
  /** PostgreSQL: told when the LISTEN connection drops (it reconnects by itself). */
  onListenerConnectionLost?: (error: unknown) => void;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10, options.onListenerConnectionLost);
  return openPGlite(options);
}

async function openPostgres(url: string, poolSize: number, onListenerConnectionLost?: (error: unknown) => void): Promise<DatabaseHandle> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  pool.on('error', () => {
    /* idle client errors surface on the next query */
  });
  // PostgreSQL compiles a query with LLVM once its estimated cost passes jit_above_cost. Baton's
  // queries are short and their estimates at a million cases cross that line for the rare-word
  // search: 17 ms of compiling for 30 ms of work (88 ms with JIT). Sent first on each new
  // connection: a client runs its queries in order, so nothing precedes it.
  pool.on('connect', (client) => {
    client.query('set jit = off').catch(() => undefined);
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const notifications = new NotificationListener(url, onListenerConnectionLost ? { onConnectionLost: onListenerConnectionLost } : {});
  return {
    db,
    kind: 'postgres',
    listen: (channel, onNotify) => notifications.listen(channel, onNotify),
    async close() {
      await notifications.close();
      await db.destroy();
    },
  };
}

async function openPGlite(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  let releaseLock: (() => void) | undefined;
  let dataDir: string | undefined;
  if (options.dataDir) {
    releaseLock = lockDataDir(options.dataDir);
    dataDir = path.join(options.dataDir, 'pgdata');
    fs.mkdirSync(dataDir, { recursive: true });
  }
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({
      ...(dataDir ? { dataDir } : {}),
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
      extensions: { pg_trgm },
      parsers: { 20: (v: string) => Number(v) },
    });
  } catch (error) {
    releaseLock?.();
    throw error;
  }
  const db = new Kysely<Database>({ dialect: new SerialPGliteDialect(pglite) });
  return {
    db,
    kind: 'pglite',
    pglite,
    async listen(channel, onNotify) {
      return pglite.listen(channel, onNotify).then((unsub) => async () => unsub());
    },
    async close() {
      await db.destroy();
      releaseLock?.();
    },
  };
}

/** Runs fn in a transaction, or inside the caller's transaction when one is already open. */
export async function inTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db);
  return db.transaction().execute(fn);
}
