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
    // Two test files at a time (each starts its own Baton on a free port with its own data folder
    // and its own Chromium): on the 2-core CI machine this keeps both cores busy without starving
    // either, and the suite stays well under the CI budget.
    maxWorkers: 2,
    fileParallelism: true,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // expect.poll gives up after 1 s by default: too short for a UI round trip (request, commit,
    // re-render) while two Batons and two Chromiums share the CI machine's two cores. A real
    // failure still fails, 10 s later.
    expect: { poll: { timeout: 10_000, interval: 100 } },
  },
});
