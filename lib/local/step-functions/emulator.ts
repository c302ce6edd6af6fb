/**
 * A local Step Functions service: runs one state machine definition (JSONPath ASL, as CDK
 * synthesizes it) with aws-local-stepfunctions, runs its Lambda tasks in-process through
 * `invoke`, and answers the Step Functions JSON 1.0 protocol so the real `@aws-sdk/client-sfn`
 * works against it with only `endpoint` changed. Executions live in memory, and with `persistDir`
 * also on disk, so a restart carries waiting executions on.
 *
 * What this adds on top of the library:
 * - task tokens: the library does not fill `$$.Task.Token`; each waitForTaskToken task gets a
 *   fresh token swapped in for a placeholder, and waits for SendTaskSuccess / SendTaskFailure;
 * - the lambda:invoke wrapper `{ExecutedVersion, Payload, StatusCode}`;
 * - handler errors keep their name (Retry/Catch match it) and carry a Lambda-shaped Cause;
 * - a task without TimeoutSeconds waits (almost) forever like AWS, not the library's 60 s, and
 *   a TimeoutSeconds over ~24.8 days is capped (setTimeout would overflow and fire at once);
 * - HeartbeatSeconds on waitForTaskToken tasks, which the library ignores;
 * - the 256 KiB payload limit on task results (States.DataLimitExceeded);
 * - execution history in the AWS event vocabulary, derived from the library's event logs.
 *
 * The parts, one concern each:
 * - definition.ts: the definition, checked and adjusted for local running, and its Task states;
 * - executions.ts: running executions and keeping their records;
 * - task-states.ts: the Task states run in-process, task tokens, timeouts and heartbeats;
 * - history.ts: GetExecutionHistory's events, from the library's event logs;
 * - durability.ts: executions on disk, and how a restart carries running ones on;
 * - protocol.ts: the JSON 1.0 protocol the SDK speaks;
 * - model.ts and errors.ts: the shapes and errors the parts share.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LocalStateMachine } from './definition.ts';
import { Durability } from './durability.ts';
import { Executions } from './executions.ts';
import { ExecutionHistory } from './history.ts';
import type { ExecutionSummary, LocalStepFunctionsOptions } from './model.ts';
import { StepFunctionsProtocol } from './protocol.ts';
import { TaskStates } from './task-states.ts';

export { functionNameFrom } from './definition.ts';
export type { ExecutionStatus, ExecutionSummary, HistoryEvent, LocalStepFunctionsOptions } from './model.ts';

export class LocalStepFunctions {
  private readonly stateMachine: LocalStateMachine;
  private readonly durability: Durability;
  private readonly tasks: TaskStates;
  private readonly runs: Executions;
  private readonly protocol: StepFunctionsProtocol;
  private server?: Server;

  constructor(private readonly options: LocalStepFunctionsOptions) {
    this.stateMachine = new LocalStateMachine(options.definition, options.stateMachineArn, options.retryIntervalScale ?? 1);
    this.durability = new Durability(options.persistDir);
    this.tasks = new TaskStates(this.stateMachine.tasks, options.invoke, this.durability);
    this.runs = new Executions(this.stateMachine, this.tasks, this.durability, new ExecutionHistory(this.stateMachine, this.durability));
    this.protocol = new StepFunctionsProtocol(this.stateMachine, this.runs, this.tasks);
  }

  async start(): Promise<{ url: string; port: number }> {
    if (this.server) throw new Error('LocalStepFunctions is already started');
    const server = createServer((request, response) => void this.protocol.handle(request, response));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    this.durability.restore(this.stateMachine, this.runs, this.tasks);
    return { url: `http://127.0.0.1:${port}`, port };
  }

  async stop(): Promise<void> {
    this.durability.halt();
    for (const record of this.runs.all()) {
      if (record.status === 'RUNNING') this.runs.stop(record, 'LocalStepFunctionsStopped', 'The local Step Functions service stopped');
    }
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      // The SDK keeps connections alive; without this close() waits for them.
      server.closeAllConnections();
    });
  }

  executions(): ExecutionSummary[] {
    return this.runs.all().map((record) => this.runs.summary(record));
  }
}
