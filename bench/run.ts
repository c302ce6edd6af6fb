/**
 * `npm run bench`: runs each measurement in its own process (each local stack keeps its SDK
 * clients per process), then writes docs/bench.json (every figure) and docs/bench.md (tables and
 * ratios). Everything targets 127.0.0.1 and is bounded in count and time. Not part of `npm test`.
 *
 *   npm run bench                      # everything, about 5 minutes on 2 cores
 *   npm run bench -- bundles e2e       # only some (names below); the report keeps the rest
 *
 * Child output (handler logs included) goes to node_modules/.cache/dsr-bench/<name>.log.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { prices, costPerThousand, type CostInput } from './cost.ts';
import { renderReport } from './report.ts';

const root = resolve(import.meta.dirname, '..');
const logDir = join(root, 'node_modules/.cache/dsr-bench');
const measurements = {
  transitions: { file: 'bench/transitions-cost.ts', timeoutSeconds: 180 },
  bundles: { file: 'bench/bundles.ts', timeoutSeconds: 300 },
  dynamodb: { file: 'bench/dynamodb-bulk.ts', timeoutSeconds: 180 },
  api: { file: 'bench/api-throughput.ts', timeoutSeconds: 120 },
  e2e: { file: 'bench/end-to-end.ts', timeoutSeconds: 420 },
} as const;
type Name = keyof typeof measurements;

async function runOne(name: Name): Promise<{ result: unknown; seconds: number }> {
  const { file, timeoutSeconds } = measurements[name];
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(join(logDir, `${name}.log`));
  const started = performance.now();
  const child = spawn(join(root, 'node_modules/.bin/tsx'), [join(root, file)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutSeconds * 1000);
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    log.write(chunk);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    log.write(chunk);
    for (const line of chunk.toString().split('\n')) if (line.startsWith('  ')) process.stderr.write(`[${name}]${line}\n`);
  });
  const code = await new Promise<number | null>((done) => child.on('close', done));
  clearTimeout(timer);
  log.end();
  const line = stdout.split('\n').find((candidate) => candidate.startsWith('BENCH_RESULT '));
  if (code !== 0 || !line) throw new Error(`${name} failed (exit ${code}); see ${join(logDir, `${name}.log`)}`);
  return { result: JSON.parse(line.slice('BENCH_RESULT '.length)), seconds: (performance.now() - started) / 1000 };
}

const asked = process.argv.slice(2).filter((arg) => arg in measurements) as Name[];
const names = asked.length ? asked : (Object.keys(measurements) as Name[]);
const jsonPath = join(root, 'docs/bench.json');
const previous = existsSync(jsonPath)
  ? (JSON.parse(readFileSync(jsonPath, 'utf8')) as { results?: Record<string, unknown>; durations?: Record<string, number> })
  : {};
const results: Record<string, unknown> = { ...(previous.results ?? {}) };
const durations: Record<string, number> = { ...(previous.durations ?? {}) };
const failures: string[] = [];
for (const name of names) {
  process.stderr.write(`[${name}] running ${measurements[name].file}\n`);
  try {
    const { result, seconds } = await runOne(name);
    results[name] = result;
    durations[name] = Math.round(seconds);
    process.stderr.write(`[${name}] done in ${Math.round(seconds)} s\n`);
  } catch (error) {
    failures.push(String(error));
    process.stderr.write(`[${name}] ${String(error)}\n`);
  }
}

const transitions = results.transitions as { scenarios: CostInput[] } | undefined;
const report = {
  generatedAt: new Date().toISOString(),
  machine: {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    os: `${process.platform} ${release()}`,
  },
  prices,
  costPerThousand: transitions ? transitions.scenarios.map((scenario) => ({ label: scenario.label, ...costPerThousand(scenario) })) : undefined,
  durations,
  results,
};
writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(join(root, 'docs/bench.md'), renderReport(report));
process.stderr.write(`wrote docs/bench.json and docs/bench.md\n`);
if (failures.length) {
  process.stderr.write(`failed: ${failures.join('; ')}\n`);
  process.exit(1);
}
