import { defineConfig } from 'vitest/config';

/**
 * Three projects, one runner (STACK-NOTES: do not mix in node:test):
 * - unit: pure rules and web helpers, no database;
 * - api: server tests on a real PostgreSQL, a fresh database per file (server/test/global-db.ts);
 * - e2e: headless Chromium against a running server (e2e/global-server.ts).
 * scripts/test.mjs runs them in turn and prints the one summary line CI reads.
 */
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['packages/*/src/**/*.test.ts', 'web/src/**/*.test.{ts,tsx}'], environment: 'node' } },
      {
        test: {
          name: 'api',
          include: ['server/src/**/*.test.ts'],
          globalSetup: ['server/test/global-db.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          globalSetup: ['e2e/global-server.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
