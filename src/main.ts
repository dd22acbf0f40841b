import { createAppContext, startBaton } from './app.js';
import { createAdmin, parseCreateAdminArgs } from './cli/create-admin.js';
import { ConfigError, loadConfig } from './config/env.js';
import { DataDirLockedError } from './db/data-dir-lock.js';
import { loadDemoDataOnFirstStart } from './demo/first-start.js';
import { createLogger } from './logger.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config);
  let ctx;
  try {
    ctx = await createAppContext(config, logger);
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      console.error(error.message);
      process.exit(3);
    }
    throw error;
  }
  if (process.argv[2] === 'create-admin') {
    try {
      const result = await createAdmin(ctx, parseCreateAdminArgs(process.argv.slice(3)));
      console.log(
        `Admin created in workspace "${result.workspace}".` +
          (result.generated ? ` Password: ${result.password} (change it after signing in)` : ''),
      );
      await ctx.database.close();
      return;
    } catch (error) {
      await ctx.database.close();
      console.error(error instanceof Error ? error.message : error);
      process.exit(2);
    }
  }
  const demo = config.demoData ? await loadDemoDataOnFirstStart(ctx) : undefined;
  const baton = await startBaton(ctx);

  const lines = [
    `Baton is running${baton.url ? ` at ${baton.url}` : ''} (${ctx.database.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL'}; roles: ${[...config.roles].join(',')})`,
  ];
  if (baton.url) lines.push(`  Agent app:  ${baton.url}/app/`, `  Help form:  ${baton.url}/help`, `  API docs:   ${baton.url}/api/v1/docs`);
  if (baton.smtp) {
    const host = baton.smtp.host.includes(':') ? `[${baton.smtp.host}]` : baton.smtp.host;
    lines.push(
      `  SMTP:       ${host}:${baton.smtp.port} (inbound mail${demo?.mailboxes.length ? ` for ${demo.mailboxes.join(', ')}` : ''})`,
    );
  }
  if (demo) {
    lines.push('  Demo logins (password for all: ' + demo.password + '):');
    for (const login of demo.logins) lines.push(`    ${login.email.padEnd(28)} ${login.role.padEnd(10)} ${login.teams}`);
  }
  console.log(lines.join('\n'));

  let shuttingDown = false;
  const shutdown = (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    baton.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error && error.name === 'StartupError' ? error.message : error);
  process.exit(1);
});
