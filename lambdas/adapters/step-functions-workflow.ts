import {
  ExecutionAlreadyExists,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  TaskTimedOut,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { ParkedTaskClosedError } from '../domain/errors.ts';
import type { TaskCallbacks, WorkflowInput, WorkflowStarter } from '../ports/workflow.ts';

/** The request workflow as a Step Functions Standard execution named after the request. */
export class StepFunctionsWorkflowStarter implements WorkflowStarter {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(input: WorkflowInput, executionName: string = input.requestId): Promise<void> {
    try {
      await this.client.send(new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name: executionName, input: JSON.stringify(input) }));
    } catch (error) {
      // The execution name is the request id (or the retry's): a second start of the same run is not an error.
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
    }
  }
}

/** Resumes or fails parked tasks by their token; needs no state machine ARN (IAM checks the token's). */
export class StepFunctionsTaskCallbacks implements TaskCallbacks {
  constructor(private readonly client: SFNClient) {}

  async resume(taskToken: string, output: Readonly<Record<string, unknown>>): Promise<void> {
    await this.client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) })).catch(closedTask);
  }

  async fail(taskToken: string, error: string, cause: string): Promise<void> {
    await this.client.send(new SendTaskFailureCommand({ taskToken, error, cause })).catch(closedTask);
  }
}

/** Step Functions answers TaskTimedOut for any token whose task is closed, whatever closed it. */
function closedTask(error: unknown): never {
  if (error instanceof TaskTimedOut) throw new ParkedTaskClosedError('The workflow task this answers is already closed', { cause: error });
  throw error;
}
