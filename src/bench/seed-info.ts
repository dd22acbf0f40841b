import path from 'node:path';

/** The password of every seeded agent (a local benchmark database only). */
export const BENCH_PASSWORD = 'bench-password-2026';

/**
 * What `npm run seed:large` leaves for `npm run bench`: workspace, admin login and API token.
 * JSON in a *.tmp file: .gitignore keeps bench/results/*.tmp (and so the token) out of commits.
 */
export const SEED_INFO_FILE = path.resolve('bench/results/seed-info.tmp');

export interface SeedInfo {
  workspace: string;
  workspace_id: string;
  cases: number;
  customers: number;
  admin_email: string;
  password: string;
  api_token: string;
  cases_per_second: number;
  total_seconds: number;
  seeded_at: string;
}
