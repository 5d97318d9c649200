import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The vitest configuration of a mutation run: the area's tests only (mutation/run.ts passes
// them in CRM_MUTATE_TESTS), from the project's root.
const tests: string[] = JSON.parse(process.env.CRM_MUTATE_TESTS ?? '["test/**/*.test.ts"]');

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: tests,
    environment: 'node',
    testTimeout: 60_000,
  },
});
