/**
 * Global setup of the `deployed` test project: synthesizes the stack with its bundles once, with
 * the test settings (relaxed rate limits, both laws offered) as deploy settings, and hands the folder to every test file, whose
 * local stacks then run those bundles (DSR_LOCAL_MODE=deployed, see test/fixtures/local-client.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { synthesizeDeployedAssembly } from '../lib/local/local-stack.ts';
import { testSettings } from './fixtures/rate-limits.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    deployedAssembly: string;
  }
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'dsr-deployed-'));
  synthesizeDeployedAssembly(dir, testSettings);
  project.provide('deployedAssembly', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
