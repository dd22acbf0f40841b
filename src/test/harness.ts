import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import pg from 'pg';
import type { Config } from '../config/env.js';
import type { AppContext } from '../context.js';
import { openDatabase } from '../db/database.js';
import { buildServer, type ApiApp } from '../http/server.js';
import { createLogger } from '../logger.js';
import { loadInstanceSecret } from '../platform/secrets.js';

/**
 * One database and one server per test worker, shared by its test files; tests isolate by
 * creating their own workspace (src/test/factories.ts), never by sharing seeded rows.
 * PostgreSQL when DATABASE_URL is set (.ci/run does both), PGlite otherwise.
 */
let contextPromise: Promise<AppContext> | undefined;
let appPromise: Promise<ApiApp> | undefined;

export function testConfig(overrides: Partial<Config> = {}): Config {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-data-'));
  return {
    port: 0,
    host: '127.0.0.1',
    databaseUrl: inject('testDatabaseUrl'),
    dataDir,
    publicUrl: 'http://127.0.0.1:3000',
    logLevel: (process.env.TEST_LOG_LEVEL as Config['logLevel']) ?? 'silent',
    roles: new Set(['web', 'worker']),
    demoData: false,
    secureCookies: false,
    maxUploadBytes: 2 * 1024 * 1024,
    // Tests play the reverse proxy: app.inject comes from 127.0.0.1 and sets X-Forwarded-For per simulated client.
    trustProxy: ['127.0.0.1'],
    mail: {
      // Tests start their own SMTP server on a free port when they need one.
      smtpPort: undefined,
      smtpHost: '127.0.0.1',
      smtpTlsCert: undefined,
      smtpTlsKey: undefined,
      maxMessageBytes: 1024 * 1024,
      relayUrl: undefined,
      notificationFrom: 'Baton <notifications@baton.test>',
      // No DNS in tests: mail authentication tests pass their own resolver.
      authChecks: false,
      imapPollSeconds: 60,
    },
    ...overrides,
  };
}

/**
 * PostgreSQL: each test file gets its own copy of the migrated database (CREATE DATABASE ...
 * TEMPLATE is a file copy), as each PGlite worker loads its own dump: background passes a test
 * runs (outbox relay, job worker, inbound mail) then only ever see that file's rows.
 */
async function cloneTemplateDatabase(templateUrl: string): Promise<string> {
  const url = new URL(templateUrl);
  const template = url.pathname.slice(1);
  const name = `${template}_f${process.pid}_${Math.floor(Math.random() * 1e6)}`;
  const adminUrl = new URL(templateUrl);
  adminUrl.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  url.pathname = `/${name}`;
  return url.toString();
}

async function createTestContext(): Promise<AppContext> {
  const config = testConfig();
  const templatePath = inject('pgliteTemplatePath');
  if (config.databaseUrl) config.databaseUrl = await cloneTemplateDatabase(config.databaseUrl);
  const database = config.databaseUrl
    ? await openDatabase({ databaseUrl: config.databaseUrl, poolSize: 5 })
    : await openDatabase({ loadDataDir: new Blob([fs.readFileSync(templatePath!)]) });
  const secret = await loadInstanceSecret(database.db);
  const filesDir = path.join(config.dataDir, 'files');
  fs.mkdirSync(filesDir, { recursive: true });
  return { db: database.db, database, config, logger: createLogger(config), secret, filesDir };
}

export function getTestContext(): Promise<AppContext> {
  return (contextPromise ??= createTestContext());
}

/**
 * Closes this file's server and database. Test workers are reused across files (vitest
 * `isolate: false`: importing the whole app once per worker, not once per file, is most of the
 * suite's time), so each file still starts on its own fresh database (src/test/file-setup.ts).
 */
export async function closeTestHarness(): Promise<void> {
  const app = appPromise;
  const context = contextPromise;
  appPromise = undefined;
  contextPromise = undefined;
  if (app) await (await app).close();
  if (context) {
    const ctx = await context;
    await ctx.database.close();
    fs.rmSync(ctx.config.dataDir, { recursive: true, force: true });
  }
}

export function getTestApp(): Promise<ApiApp> {
  return (appPromise ??= getTestContext().then(async (ctx) => {
    const app = await buildServer(ctx);
    await app.ready();
    return app;
  }));
}
