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
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
