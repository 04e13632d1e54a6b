import { defineConfig } from 'vitest/config';

// Two projects: "unit" needs nothing running; "stack" runs against the whole local stack
// (DynamoDB Local, the Step Functions endpoint, the HTTP API), started once by the global setup.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/local/**/*.test.ts', 'test/infra/**/*.test.ts'],
          // A timeout here only catches a hang (speed is the benchmarks' business): vitest's 5 s
          // default failed a property test and a whole-handler import on a loaded 2-core machine.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'stack',
          include: ['test/integration/**/*.test.ts', 'test/workflows/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
