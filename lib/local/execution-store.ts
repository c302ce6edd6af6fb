/**
 * Durable state of the local Step Functions engine: one JSON file per execution in a folder, so
 * executions waiting for a callback survive a restart of the local stack.
 *
 * What is kept is what a restart needs to carry an execution on, not its history: the input,
 * the status and result, the top-level state it is in (with that state's input), the task tokens
 * parked there (keyed by state name and the task's payload) with their deadlines, and the results
 * of callback tasks already answered inside that state (a Map's finished iterations).
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ParkedTask {
  /** `<state name>\n<payload JSON with the token replaced by a constant>`. */
  readonly key: string;
  readonly token: string;
  /** Epoch ms after which the task times out; undefined when it has no timeout. */
  readonly deadline?: number;
}

export interface PersistedExecution {
  readonly name: string;
  readonly executionArn: string;
  readonly input: string;
  readonly startDate: string;
  status: string;
  stopDate?: string;
  output?: string;
  error?: string;
  cause?: string;
  /** The top-level state the execution is in, and that state's input (JSON value). */
  resumeAt?: { readonly state: string; readonly input: unknown };
  parked: ParkedTask[];
  /** Callback tasks answered since `resumeAt` was entered: key → output, oldest first. */
  answered: [string, unknown][];
}

export class ExecutionStore {
  constructor(private readonly folder: string) {
    mkdirSync(folder, { recursive: true });
  }

  load(): PersistedExecution[] {
    const executions: PersistedExecution[] = [];
    for (const file of readdirSync(this.folder)) {
      if (!file.endsWith('.json')) continue;
      try {
        executions.push(JSON.parse(readFileSync(join(this.folder, file), 'utf8')) as PersistedExecution);
      } catch {
        // A file cut short by a crash mid-write cannot be trusted; the write goes through a
        // rename, so this only happens to files not written by us.
      }
    }
    return executions.sort((a, b) => a.startDate.localeCompare(b.startDate));
  }

  /** Writes atomically (temp file + rename), synchronously, so a stop right after loses nothing. */
  save(execution: PersistedExecution): void {
    const path = join(this.folder, `${fileName(execution.name)}.json`);
    const temporary = `${path}.tmp`;
    writeFileSync(temporary, JSON.stringify(execution));
    renameSync(temporary, path);
  }

  remove(name: string): void {
    rmSync(join(this.folder, `${fileName(name)}.json`), { force: true });
  }
}

/** Execution names may hold characters a file name should not: keep it safe and unique. */
function fileName(name: string): string {
  return Buffer.from(name).toString('base64url');
}
