import { defineConfig } from 'vitest/config';

// .ci/run sets BATON_TEST_REPORT_DIR to add up every run's results in one closing line.
const reportDir = process.env.BATON_TEST_REPORT_DIR;
const reporters = reportDir
  ? ['default', ['json', { outputFile: `${reportDir}/unit-${process.pid}-${Date.now()}.json` }] as [string, object]]
  : ['default'];

export default defineConfig({
  test: {
    reporters,
    include: ['src/**/*.test.ts'],
    globalSetup: ['src/test/global-setup.ts'],
    setupFiles: ['src/test/file-setup.ts'],
    pool: 'forks',
    // A worker process runs file after file with its module cache kept: importing the whole app
    // (every module, Fastify, the mail libraries) once per file was most of the suite's time.
    // Files still never share data: each gets its own fresh database (src/test/file-setup.ts).
    isolate: false,
    // PGlite runs inside the worker and keeps its core busy: two workers for two cores. Against a
    // PostgreSQL server the workers mostly wait on it, so more of them finish sooner.
    maxWorkers: process.env.DATABASE_URL ? 4 : 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
