import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `<data folder>/stack.json` while `npm start` runs: where its API listens (PORT may have moved
 * it), so the command-line tools (`npm run intake-link`) point at the stack that is running.
 */
export interface RunningStack {
  readonly apiUrl: string;
  readonly pid: number;
}

const fileOf = (dataDir: string) => join(dataDir, 'stack.json');

export function writeStackFile(dataDir: string, apiUrl: string, pid: number = process.pid): void {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(fileOf(dataDir), `${JSON.stringify({ apiUrl, pid } satisfies RunningStack)}\n`, { mode: 0o600 });
}

/** Removes the file if this process wrote it (a later run's file is left alone). */
export function removeStackFile(dataDir: string, pid: number = process.pid): void {
  if (readStackFile(dataDir)?.pid === pid) rmSync(fileOf(dataDir), { force: true });
}

/** The stack recorded in the folder, if its process still runs: a file left by a killed run names a dead port. */
export function runningStack(dataDir: string): RunningStack | undefined {
  const recorded = readStackFile(dataDir);
  return recorded && isAlive(recorded.pid) ? recorded : undefined;
}

function readStackFile(dataDir: string): RunningStack | undefined {
  let parsed: Partial<RunningStack>;
  try {
    parsed = JSON.parse(readFileSync(fileOf(dataDir), 'utf8')) as Partial<RunningStack>;
  } catch {
    return undefined;
  }
  // A pid of 0 or below would name a process group to signal, not a process.
  return typeof parsed.apiUrl === 'string' && Number.isInteger(parsed.pid) && parsed.pid! > 0 ? { apiUrl: parsed.apiUrl, pid: parsed.pid! } : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
