import { afterAll } from 'vitest';
import { closeTestHarness } from './harness.js';

// Workers run many files one after another (isolate: false); each file ends by closing its
// server and database, so the next file gets a fresh copy of the migrated database.
afterAll(async () => {
  await closeTestHarness();
});
