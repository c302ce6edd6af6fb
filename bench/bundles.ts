/**
 * Each Lambda bundle's size and module load time, built with esbuild the way
 * lib/constructs/functions.ts has CDK build it (ESM, node24, minified, module/main fields, the
 * require shim banner, the SDK inside), against the same code with `@aws-sdk/*` left external
 * (resolved from node_modules, as the Lambda runtime would resolve its own SDK).
 * Load time: `await import()` of the bundle in a fresh `node` process, median of several runs.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, statSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { functionCatalog } from '../lib/function-catalog.ts';
import { emitResult, median, progress, round } from './common.ts';

const root = resolve(import.meta.dirname, '..');
// Inside the repository, so the external variant finds @aws-sdk in node_modules.
const outRoot = join(root, 'node_modules/.cache/dsr-bench/bundles');
const runs = Number(process.env.BENCH_LOAD_RUNS ?? 5);
const banner = "import { createRequire as __dsrCreateRequire } from 'node:module'; const require = __dsrCreateRequire(import.meta.url);";

async function bundle(entry: string, outfile: string, sdkExternal: boolean): Promise<{ bytes: number; gzipBytes: number }> {
  await build({
    entryPoints: [join(root, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    mainFields: ['module', 'main'],
    banner: { js: banner },
    minify: true,
    sourcemap: false,
    external: sdkExternal ? ['@aws-sdk/*'] : [],
    logLevel: 'error',
  });
  const code = readFileSync(outfile);
  return { bytes: statSync(outfile).size, gzipBytes: gzipSync(code).length };
}

function loadMs(file: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1', POWERTOOLS_LOG_LEVEL: 'WARN', WEB_ASSETS_DIR: join(outRoot, 'web') },
    encoding: 'utf8',
  });
  return Number(output);
}

async function main(): Promise<void> {
  rmSync(outRoot, { recursive: true, force: true });
  // The pages function reads the assets CDK copies beside its bundle.
  cpSync(join(root, 'lambdas/web'), join(outRoot, 'web'), { recursive: true });
  const functions: Record<string, unknown>[] = [];
  for (const [name, spec] of Object.entries(functionCatalog)) {
    const dir = join(outRoot, name);
    mkdirSync(dir, { recursive: true });
    const inside = join(dir, 'bundled.mjs');
    const outside = join(dir, 'sdk-external.mjs');
    const bundled = await bundle(spec.entry, inside, false);
    const external = await bundle(spec.entry, outside, true);
    // Alternate the variants so drift in machine load hits both alike.
    const insideTimes: number[] = [];
    const outsideTimes: number[] = [];
    loadMs(inside); // the first run warms the file cache
    loadMs(outside);
    for (let run = 0; run < runs; run += 1) {
      insideTimes.push(loadMs(inside));
      outsideTimes.push(loadMs(outside));
    }
    const entry = {
      name,
      kind: spec.kind,
      bundledBytes: bundled.bytes,
      bundledGzipBytes: bundled.gzipBytes,
      externalBytes: external.bytes,
      externalGzipBytes: external.gzipBytes,
      bundledLoadMs: round(median(insideTimes), 1),
      externalLoadMs: round(median(outsideTimes), 1),
      loadRatio: round(median(outsideTimes) / median(insideTimes), 2),
    };
    functions.push(entry);
    progress(`${name}: ${(bundled.bytes / 1024).toFixed(0)} KiB bundled, ${entry.bundledLoadMs} ms vs ${entry.externalLoadMs} ms with the SDK external`);
  }
  emitResult({ runs, functions });
}

await main();
