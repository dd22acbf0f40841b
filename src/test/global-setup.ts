import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../db/database.js';
import { migrate } from '../db/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** PostgreSQL: the URL of the freshly migrated test database. */
    testDatabaseUrl: string | undefined;
    /** PGlite: a dump of a migrated database each worker loads (migrating once is seconds; loading is fast). */
    pgliteTemplatePath: string | undefined;
  }
}

/**
 * Migrates once for the whole run. With DATABASE_URL set, a fresh database is created on that
 * server (and dropped at the end); otherwise a migrated PGlite is dumped for the workers to load.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const name = `baton_test_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const handle = await openDatabase({ databaseUrl: url.toString(), poolSize: 2 });
    await migrate(handle.db);
    await handle.close();
    project.provide('testDatabaseUrl', url.toString());
    project.provide('pgliteTemplatePath', undefined);
    return async () => {
      const drop = new pg.Client({ connectionString: serverUrl });
      await drop.connect();
      // The per-file copies (src/test/harness.ts) first, then the template.
      const copies = await drop.query<{ datname: string }>('select datname from pg_database where datname like $1', [`${name}_f%`]);
      for (const copy of copies.rows) await drop.query(`DROP DATABASE IF EXISTS ${copy.datname} WITH (FORCE)`);
      await drop.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await drop.end();
    };
  }
  const handle = await openDatabase({});
  await migrate(handle.db);
  const dump = await handle.pglite!.dumpDataDir('none');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'baton-test-')), 'template.tar');
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await handle.close();
  project.provide('testDatabaseUrl', undefined);
  project.provide('pgliteTemplatePath', file);
  return async () => {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  };
}
