import type { Logger } from 'pino';
import type { Config } from './config/env.js';
import type { DatabaseHandle, Db } from './db/database.js';

/** What every route and service may need, built once per process (src/main.ts or the test harness). */
export interface AppContext {
  db: Db;
  database: DatabaseHandle;
  config: Config;
  logger: Logger;
  /** The installation's signing secret (platform/secrets.ts). */
  secret: string;
  /** Where content-addressed files live (`<dataDir>/files`). */
  filesDir: string;
}
