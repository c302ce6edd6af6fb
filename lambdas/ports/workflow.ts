/** The request's workflow (a Step Functions execution), seen from the handlers that drive it. */
export interface WorkflowInput {
  readonly requestId: string;
  readonly type: string;
  /** The ids of the stores to run against; ids only, never data. */
  readonly stores: readonly string[];
  /** `retry`: go straight to the stores (an officer's retry of the stores that failed). */
  readonly phase?: 'retry';
}

/**
 * Starts executions. Only this needs the state machine's ARN: it is split from `TaskCallbacks` so a
 * function that merely resumes a parked task cannot depend on a setting its deployment lacks.
 */
export interface WorkflowStarter {
  /**
   * Starts the workflow for a request; starting it twice with the same execution name is harmless.
   * The name defaults to the request id; a retry names its own run.
   */
  start(input: WorkflowInput, executionName?: string): Promise<void>;
}

/**
 * Answers tasks parked with waitForTaskToken: the token alone names the execution and the state.
 * Both throw `ParkedTaskClosedError` (a ConflictError) when the task is already closed.
 */
export interface TaskCallbacks {
  /** Resumes a parked task. */
  resume(taskToken: string, output: Readonly<Record<string, unknown>>): Promise<void>;
  /** Fails a parked task with a named error, so the state machine's Catch can route it. */
  fail(taskToken: string, error: string, cause: string): Promise<void>;
}
