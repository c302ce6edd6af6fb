import { defineConfig } from 'vitest/config';

/**
 * The end-to-end files that run a second time against the artifact that ships: each function's
 * synthesized bundle with its template environment, IAM enforced (lib/local/deployed/).
 */
const deployedModeFiles = [
  'test/integration/access-flow.test.ts',
  'test/integration/amend-delete.test.ts',
  'test/integration/statutory-clock.test.ts',
  'test/integration/smoke.test.ts',
  'test/integration/deployed-artifact.test.ts',
  'test/integration/local-exposure.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // A busy CI machine can take longer than the 1 s default for a page or a workflow to catch up.
    expect: { poll: { timeout: 15_000, interval: 50 } },
    // Integration files each start a local stack; two at a time suits a 2-core machine.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: 'in-process', include: ['test/**/*.test.ts'], exclude: ['test/integration/deployed-artifact.test.ts', 'test/infra/**'] },
      },
      {
        extends: true,
        // The template tests only read one synthesized stack: files sharing a worker share it (test/infra/synthesized-stack.ts).
        test: { name: 'infra', include: ['test/infra/**/*.test.ts'], isolate: false },
      },
      {
        extends: true,
        test: {
          name: 'deployed',
          include: deployedModeFiles,
          env: { DSR_LOCAL_MODE: 'deployed' },
          globalSetup: ['test/deployed-mode.setup.ts'],
          // The synth with bundling takes about a minute on two cores.
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
