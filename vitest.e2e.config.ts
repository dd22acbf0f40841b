import { defineConfig } from 'vitest/config';

// .ci/run sets BATON_TEST_REPORT_DIR to add up every run's results in one closing line.
const reportDir = process.env.BATON_TEST_REPORT_DIR;
const reporters = reportDir
  ? ['default', ['json', { outputFile: `${reportDir}/e2e-${process.pid}-${Date.now()}.json` }] as [string, object]]
  : ['default'];

/** Browser tests (npm run test:e2e): the built server in a child process, driven by Debian's Chromium. */
export default defineConfig({
  test: {
    reporters,
    include: ['e2e/**/*.e2e.ts'],
    globalSetup: ['e2e/support/global-setup.ts'],
    pool: 'forks',
    // One browser and one server at a time: the machine is small and each test file starts its own Baton.
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
