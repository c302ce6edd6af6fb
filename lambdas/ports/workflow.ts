/** The request's workflow (a Step Functions execution), seen from the handlers that drive it. */
export interface WorkflowInput {
  readonly requestId: string;
  readonly type: string;
  /** The ids of the stores to run against; ids only, never data. */
  readonly stores: readonly string[];
  /** `retry`: go straight to the stores (an officer's retry of the stores that failed). */
  readonly phase?: 'retry';
}

export interface Workflow {
  /**
   * Starts the workflow for a request; starting it twice with the same execution name is harmless.
   * The name defaults to the request id; a retry names its own run.
   */
  start(input: WorkflowInput, executionName?: string): Promise<void>;
  /** Resumes a task parked with waitForTaskToken. */
  resume(taskToken: string, output: Readonly<Record<string, unknown>>): Promise<void>;
  /** Fails a parked task with a named error, so the state machine's Catch can route it. */
  fail(taskToken: string, error: string, cause: string): Promise<void>;
}
