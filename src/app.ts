import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config/env.js';
import type { AppContext } from './context.js';
import { openDatabase } from './db/database.js';
import { migrate } from './db/migrate.js';
import { buildServer } from './http/server.js';
import { startEmailWebRole, startEmailWorkerRole, type EmailRuntime } from './modules/email/runtime.js';
import { domainListeners, jobHandlers, realtimeLaneListeners, scheduleRecurringJobs } from './modules/index.js';
import { JobWorker } from './platform/jobs.js';
import { maintenanceJob, scheduleMaintenance } from './platform/maintenance.js';
import { OutboxRelay } from './platform/outbox-relay.js';
import { closeRealtimeRedisPublishers } from './modules/realtime/redis-bus.js';
import { loadInstanceSecret } from './platform/secrets.js';

export interface RunningBaton {
  ctx: AppContext;
  server: FastifyInstance | undefined;
  url: string | undefined;
  /** Where Baton's SMTP server listens (web role, unless BATON_SMTP_PORT=off). */
  smtp: { host: string; port: number } | undefined;
  stop(): Promise<void>;
}

/** Opens the database, migrates, and builds the shared context. */
export async function createAppContext(config: Config, logger: Logger): Promise<AppContext> {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.databaseUrl ? undefined : config.dataDir,
    onListenerConnectionLost: (error) =>
      logger.warn({ err: error }, 'the LISTEN connection to PostgreSQL was lost; reconnecting (pollers cover what it misses)'),
  });
  try {
    const applied = await migrate(database.db);
    if (applied.length > 0) logger.info({ applied }, 'database migrated');
    const secret = await loadInstanceSecret(database.db);
    const filesDir = path.join(config.dataDir, 'files');
    fs.mkdirSync(filesDir, { recursive: true });
    return { db: database.db, database, config, logger, secret, filesDir };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** Starts the roles this process plays (web, worker) on an existing context. */
export async function startBaton(ctx: AppContext): Promise<RunningBaton> {
  const { config, logger } = ctx;
  let server: FastifyInstance | undefined;
  let url: string | undefined;
  let relay: OutboxRelay | undefined;
  let realtimeRelay: OutboxRelay | undefined;
  let worker: JobWorker | undefined;
  const email: EmailRuntime[] = [];

  if (config.roles.has('worker')) {
    relay = new OutboxRelay(ctx.database, domainListeners(ctx), logger);
    await relay.start();
    realtimeRelay = new OutboxRelay(ctx.database, realtimeLaneListeners(ctx), logger, 1000, 'realtime');
    await realtimeRelay.start();
    worker = new JobWorker(ctx.db, logger);
    worker.register(maintenanceJob);
    for (const handler of jobHandlers(ctx)) worker.register(handler);
    await scheduleMaintenance(ctx.db);
    await scheduleRecurringJobs(ctx);
    worker.start((channel, fn) => ctx.database.listen(channel, fn));
    email.push(await startEmailWorkerRole(ctx));
  }
  if (config.roles.has('web')) {
    server = await buildServer(ctx);
    await server.listen({ port: config.port, host: config.host });
    const address = server.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    email.push(await startEmailWebRole(ctx));
  }

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await server?.close();
      for (const part of email) await part.stop();
      await worker?.stop();
      await relay?.stop();
      await realtimeRelay?.stop();
      await closeRealtimeRedisPublishers();
      await ctx.database.close();
    })());
  return { ctx, server, url, smtp: email.find((e) => e.smtp)?.smtp, stop };
}
