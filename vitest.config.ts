import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // A busy CI machine can take longer than the 1 s default for a page or a workflow to catch up.
    expect: { poll: { timeout: 15_000, interval: 50 } },
    // Integration files each start a local stack; two at a time suits a 2-core machine.
    maxWorkers: 2,
  },
});
