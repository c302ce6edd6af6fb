import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
  type DescribeExecutionCommandOutput,
} from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveDefinitionString } from '../../lib/local/resolve-definition.ts';
import { LocalStepFunctions, type LocalStepFunctionsOptions } from '../../lib/local/step-functions/emulator.ts';

const stateMachineArn = 'arn:aws:states:us-east-1:000000000000:stateMachine:test-machine';
const functionArn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
}

// ---------------------------------------------------------------- harness

const running: LocalStepFunctions[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((emulator) => emulator.stop()));
});

type Invoke = LocalStepFunctionsOptions['invoke'];

async function emulate(definition: object, invoke: Invoke, extra: Partial<LocalStepFunctionsOptions> = {}) {
  const emulator = new LocalStepFunctions({ definition, stateMachineArn, invoke, retryIntervalScale: 0.01, ...extra });
  running.push(emulator);
  const { url } = await emulator.start();
  const client = new SFNClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const start = async (input: unknown, name?: string) => {
    const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input), ...(name ? { name } : {}) }));
    return executionArn!;
  };
  return { emulator, client, url, start };
}

async function finished(client: SFNClient, executionArn: string, timeoutMs = 15_000): Promise<DescribeExecutionCommandOutput> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const execution = await client.send(new DescribeExecutionCommand({ executionArn }));
    if (execution.status !== 'RUNNING') return execution;
    if (Date.now() > deadline) throw new Error(`${executionArn} still RUNNING after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Records what each function received; a waiting task's token arrives through `nextCall`. */
function recorder(answer: (name: string, payload: any) => unknown = () => ({})) {
  const calls: { name: string; payload: any }[] = [];
  const waiters: ((call: { name: string; payload: any }) => void)[] = [];
  const invoke: Invoke = async (name, payload) => {
    const call = { name, payload: payload as any };
    calls.push(call);
    waiters.shift()?.(call);
    return answer(name, payload);
  };
  const nextCall = () => new Promise<{ name: string; payload: any }>((resolve) => waiters.push(resolve));
  return { calls, invoke, nextCall };
}

/** One waitForTaskToken task; `extra` adds fields such as TimeoutSeconds to it. */
const callbackMachine = (extra: Record<string, unknown> = {}) => ({
  StartAt: 'WaitForVerification',
  States: {
    WaitForVerification: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: {
        FunctionName: functionArn('send-verification'),
        Payload: { 'taskToken.$': '$$.Task.Token', 'requestId.$': '$.requestId', 'executionId.$': '$$.Execution.Id' },
      },
      ResultPath: '$.verification',
      End: true as boolean | undefined,
      ...extra,
    },
  },
});

// ---------------------------------------------------------------- tasks

describe('LocalStepFunctions tasks', () => {
  it('runs a Lambda function ARN task with the effective input as the event', async () => {
    const { calls, invoke } = recorder((_name, payload) => ({ greeting: `hello ${payload.who}` }));
    const { client, start } = await emulate(
      {
        StartAt: 'Greet',
        States: { Greet: { Type: 'Task', Resource: functionArn('greet'), Parameters: { 'who.$': '$.name' }, ResultPath: '$.result', End: true } },
      },
      invoke,
    );

    const execution = await finished(client, await start({ name: 'Ada' }));

    expect(calls).toEqual([{ name: 'greet', payload: { who: 'Ada' } }]);
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output!)).toEqual({ name: 'Ada', result: { greeting: 'hello Ada' } });
    expect(execution.startDate).toBeInstanceOf(Date);
    expect(execution.stopDate!.getTime()).toBeGreaterThanOrEqual(execution.startDate!.getTime());
  });

  it('wraps a lambda:invoke result in the AWS Payload envelope', async () => {
    const { calls, invoke } = recorder(() => ({ count: 3 }));
    const { client, start } = await emulate(
      {
        StartAt: 'Count',
        States: {
          Count: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: functionArn('count-items'), 'Payload.$': '$' },
            End: true,
          },
        },
      },
      invoke,
    );

    const execution = await finished(client, await start({ requestId: 'r-1' }));

    expect(calls).toEqual([{ name: 'count-items', payload: { requestId: 'r-1' } }]);
    expect(JSON.parse(execution.output!)).toEqual({ ExecutedVersion: '$LATEST', Payload: { count: 3 }, StatusCode: 200 });
  });

  it('gives Parallel branches their own task overrides', async () => {
    const { calls, invoke } = recorder((name) => ({ from: name }));
    const { client, start } = await emulate(
      {
        StartAt: 'Both',
        States: {
          Both: {
            Type: 'Parallel',
            Branches: [
              { StartAt: 'Left', States: { Left: { Type: 'Task', Resource: functionArn('left'), End: true } } },
              { StartAt: 'Right', States: { Right: { Type: 'Task', Resource: functionArn('right'), End: true } } },
            ],
            End: true,
          },
        },
      },
      invoke,
    );

    const execution = await finished(client, await start({}));

    expect(calls.map((call) => call.name).sort()).toEqual(['left', 'right']);
    expect(JSON.parse(execution.output!)).toEqual([{ from: 'left' }, { from: 'right' }]);
  });

  it('keeps a TimeoutSeconds longer than a Node timer can hold from firing at once', async () => {
    // 364 days, like the approval wait: setTimeout would overflow and fire after 1 ms.
    const invoke: Invoke = () => new Promise((resolve) => setTimeout(() => resolve({ ok: true }), 50));
    const { client, start } = await emulate(
      { StartAt: 'Slow', States: { Slow: { Type: 'Task', Resource: functionArn('slow'), TimeoutSeconds: 31_449_600, End: true } } },
      invoke,
    );

    const execution = await finished(client, await start({}));

    expect(execution.status).toBe('SUCCEEDED');
  });

  it('refuses a definition whose tasks would call real AWS services', () => {
    const definition = {
      StartAt: 'Put',
      States: { Put: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: 't', Item: {} }, End: true } },
    };
    expect(() => new LocalStepFunctions({ definition, stateMachineArn, invoke: async () => ({}) })).toThrow(/dynamodb:putItem/);
  });
});

// ---------------------------------------------------------------- callbacks

describe('LocalStepFunctions task tokens', () => {
  it('resumes a waitForTaskToken task when SendTaskSuccess arrives', async () => {
    const { invoke, nextCall } = recorder();
    const { client, start } = await emulate(callbackMachine(), invoke);

    const called = nextCall();
    const executionArn = await start({ requestId: 'r-1' });
    const { name, payload } = await called;
    expect(name).toBe('send-verification');
    expect(payload.requestId).toBe('r-1');
    expect(payload.executionId).toBe(executionArn);
    expect(payload.taskToken).toMatch(/^[\w-]{40,}$/);
    expect((await client.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');

    await client.send(new SendTaskSuccessCommand({ taskToken: payload.taskToken, output: JSON.stringify({ verified: true }) }));
    const execution = await finished(client, executionArn);

    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output!)).toEqual({ requestId: 'r-1', verification: { verified: true } });
  });

  it('gives every waiting task a token of its own', async () => {
    const { invoke, nextCall } = recorder();
    const { client, start } = await emulate(callbackMachine(), invoke);

    const first = nextCall();
    await start({ requestId: 'r-1' });
    const second = nextCall();
    await start({ requestId: 'r-2' });
    const [a, b] = [(await first).payload.taskToken, (await second).payload.taskToken];

    expect(a).not.toBe(b);
    await client.send(new SendTaskSuccessCommand({ taskToken: b, output: '{}' }));
    await client.send(new SendTaskSuccessCommand({ taskToken: a, output: '{}' }));
  });

  it('routes a SendTaskFailure to the Catch that names its error', async () => {
    const { invoke, nextCall } = recorder();
    const definition = {
      StartAt: 'WaitForVerification',
      States: {
        WaitForVerification: {
          ...callbackMachine().States.WaitForVerification,
          End: undefined,
          Next: 'Verified',
          Catch: [
            { ErrorEquals: ['SomethingElseError'], Next: 'Wrong' },
            { ErrorEquals: ['VerificationExpiredError'], ResultPath: '$.failure', Next: 'Expired' },
          ],
        },
        Verified: { Type: 'Pass', End: true },
        Wrong: { Type: 'Fail', Error: 'Wrong' },
        Expired: { Type: 'Pass', End: true },
      },
    };
    const { client, start } = await emulate(JSON.parse(JSON.stringify(definition)), invoke);

    const called = nextCall();
    const executionArn = await start({ requestId: 'r-1' });
    const { payload } = await called;
    await client.send(new SendTaskFailureCommand({ taskToken: payload.taskToken, error: 'VerificationExpiredError', cause: 'link expired' }));
    const execution = await finished(client, executionArn);

    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output!)).toEqual({ requestId: 'r-1', failure: { Error: 'VerificationExpiredError', Cause: 'link expired' } });
    const { events } = await client.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(events!.filter((event) => event.type === 'PassStateEntered').map((event) => event.stateEnteredEventDetails?.name)).toEqual(['Expired']);
  });

  it('fails the execution with the SendTaskFailure error when nothing catches it', async () => {
    const { invoke, nextCall } = recorder();
    const { client, start } = await emulate(callbackMachine(), invoke);

    const called = nextCall();
    const executionArn = await start({ requestId: 'r-1' });
    await client.send(new SendTaskFailureCommand({ taskToken: (await called).payload.taskToken, error: 'RejectedError', cause: 'officer said no' }));
    const execution = await finished(client, executionArn);

    expect(execution).toMatchObject({ status: 'FAILED', error: 'RejectedError', cause: 'officer said no' });
  });

  it('answers TaskTimedOut to a second SendTaskSuccess on the same token', async () => {
    const { invoke, nextCall } = recorder();
    const { client, start } = await emulate(callbackMachine(), invoke);

    const called = nextCall();
    const executionArn = await start({ requestId: 'r-1' });
    const { taskToken } = (await called).payload;
    await client.send(new SendTaskSuccessCommand({ taskToken, output: '{}' }));

    await expect(client.send(new SendTaskSuccessCommand({ taskToken, output: '{}' }))).rejects.toBeInstanceOf(TaskTimedOut);
    await expect(client.send(new SendTaskFailureCommand({ taskToken, error: 'Late' }))).rejects.toBeInstanceOf(TaskTimedOut);
    expect((await finished(client, executionArn)).status).toBe('SUCCEEDED');
  });

  it('answers TaskDoesNotExist to a token it never issued', async () => {
    const { client } = await emulate(callbackMachine(), recorder().invoke);

    await expect(client.send(new SendTaskSuccessCommand({ taskToken: 'not-a-token', output: '{}' }))).rejects.toBeInstanceOf(TaskDoesNotExist);
    await expect(client.send(new SendTaskHeartbeatCommand({ taskToken: 'not-a-token' }))).rejects.toBeInstanceOf(TaskDoesNotExist);
  });

  it('times a waiting task out after TimeoutSeconds and refuses its late token', async () => {
    const { invoke, nextCall } = recorder();
    const { client, start } = await emulate(callbackMachine({ TimeoutSeconds: 1 }), invoke);

    const called = nextCall();
    const executionArn = await start({ requestId: 'r-1' });
    const { taskToken } = (await called).payload;
    const execution = await finished(client, executionArn, 3000);

    expect(execution).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    await expect(client.send(new SendTaskSuccessCommand({ taskToken, output: '{}' }))).rejects.toBeInstanceOf(TaskTimedOut);
    const { events } = await client.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(events!.map((event) => event.type)).toContain('TaskTimedOut');
  });

  it('lets a Catch on States.Timeout route a timed-out task', async () => {
    const { invoke } = recorder();
    const definition = {
      StartAt: 'WaitForVerification',
      States: {
        WaitForVerification: {
          ...callbackMachine({ TimeoutSeconds: 1 }).States.WaitForVerification,
          End: undefined,
          Next: 'Done',
          Catch: [
            { ErrorEquals: ['States.TaskFailed'], Next: 'Failed' },
            { ErrorEquals: ['States.Timeout'], ResultPath: '$.failure', Next: 'Expired' },
          ],
        },
        Done: { Type: 'Succeed' },
        Failed: { Type: 'Fail', Error: 'WrongCatcher' },
        Expired: { Type: 'Pass', Result: 'expired', ResultPath: '$.outcome', End: true },
      },
    };
    const { client, start } = await emulate(JSON.parse(JSON.stringify(definition)), invoke);

    const execution = await finished(client, await start({ requestId: 'r-1' }), 3000);

    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output!)).toMatchObject({ outcome: 'expired', failure: { Error: 'States.Timeout' } });
  });

  it("times the whole execution out after the definition's TimeoutSeconds", async () => {
    const { invoke, nextCall } = recorder();
    const { client, start } = await emulate({ ...callbackMachine(), TimeoutSeconds: 1 }, invoke);

    const called = nextCall();
    const executionArn = await start({ requestId: 'r-1' });
    const { taskToken } = (await called).payload;
    const execution = await finished(client, executionArn, 3000);

    expect(execution.status).toBe('TIMED_OUT');
    await expect(client.send(new SendTaskSuccessCommand({ taskToken, output: '{}' }))).rejects.toBeInstanceOf(TaskTimedOut);
    const { events } = await client.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 1 }));
    expect(events!.map((event) => event.type)).toEqual(['ExecutionTimedOut']);
  });

  it('fails a waiting task with States.HeartbeatTimeout when heartbeats stop', async () => {
    const { invoke, nextCall } = recorder();
    const { client, start } = await emulate(callbackMachine({ HeartbeatSeconds: 1, TimeoutSeconds: 10 }), invoke);

    const called = nextCall();
    const executionArn = await start({ requestId: 'r-1' });
    const { taskToken } = (await called).payload;
    await new Promise((resolve) => setTimeout(resolve, 600));
    await client.send(new SendTaskHeartbeatCommand({ taskToken }));
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await client.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('RUNNING');
    const execution = await finished(client, executionArn, 3000);

    expect(execution).toMatchObject({ status: 'FAILED', error: 'States.HeartbeatTimeout' });
  });
});

// ---------------------------------------------------------------- map, retry, errors

describe('LocalStepFunctions Map, Retry and errors', () => {
  it('maps over $.items with $$.Map.Item.Value and Index in the ItemSelector', async () => {
    const { calls, invoke } = recorder((_name, payload) => ({ store: payload.store, done: true }));
    const { client, start } = await emulate(
      {
        StartAt: 'EachStore',
        States: {
          EachStore: {
            Type: 'Map',
            ItemsPath: '$.items',
            ItemSelector: { 'store.$': '$$.Map.Item.Value', 'position.$': '$$.Map.Item.Index', 'requestId.$': '$.requestId' },
            MaxConcurrency: 2,
            ItemProcessor: {
              ProcessorConfig: { Mode: 'INLINE' },
              StartAt: 'Erase',
              States: {
                Erase: {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::lambda:invoke',
                  Parameters: { FunctionName: functionArn('erase-store'), 'Payload.$': '$' },
                  ResultSelector: { 'result.$': '$.Payload' },
                  End: true,
                },
              },
            },
            ResultPath: '$.stores',
            End: true,
          },
        },
      },
      invoke,
    );

    const execution = await finished(client, await start({ requestId: 'r-1', items: ['users', 'orders', 'logs'] }));

    expect(calls.map((call) => call.payload).sort((a, b) => a.position - b.position)).toEqual([
      { store: 'users', position: 0, requestId: 'r-1' },
      { store: 'orders', position: 1, requestId: 'r-1' },
      { store: 'logs', position: 2, requestId: 'r-1' },
    ]);
    expect(JSON.parse(execution.output!).stores).toEqual([
      { result: { store: 'users', done: true } },
      { result: { store: 'orders', done: true } },
      { result: { store: 'logs', done: true } },
    ]);
    const { events } = await client.send(new GetExecutionHistoryCommand({ executionArn: execution.executionArn }));
    expect(events!.filter((event) => event.type === 'MapIterationSucceeded')).toHaveLength(3);
  });

  it('retries a handler error matched by name, then succeeds', async () => {
    let attempts = 0;
    const invoke: Invoke = async () => {
      attempts += 1;
      if (attempts < 3) throw new StoreUnavailableError('store is down');
      return { erased: 5 };
    };
    const { client, start } = await emulate(
      {
        StartAt: 'Erase',
        States: {
          Erase: {
            Type: 'Task',
            Resource: functionArn('erase-store'),
            Retry: [
              { ErrorEquals: ['OtherError'], MaxAttempts: 0 },
              { ErrorEquals: ['StoreUnavailableError'], IntervalSeconds: 2, BackoffRate: 2, MaxAttempts: 3 },
            ],
            End: true,
          },
        },
      },
      invoke,
    );

    const startedAt = Date.now();
    const executionArn = await start({});
    const execution = await finished(client, executionArn);

    expect(execution.status).toBe('SUCCEEDED');
    expect(attempts).toBe(3);
    expect(Date.now() - startedAt).toBeLessThan(1500); // 2 s + 4 s of intervals, scaled by 0.01
    const { events } = await client.send(new GetExecutionHistoryCommand({ executionArn }));
    const failures = events!.filter((event) => event.type === 'TaskFailed').map((event) => event.taskFailedEventDetails?.error);
    expect(failures).toEqual(['StoreUnavailableError', 'StoreUnavailableError']);
  });

  it('fails with the handler error name and a Lambda-shaped cause when no retrier matches', async () => {
    const invoke: Invoke = async () => {
      throw new StoreUnavailableError('store is down');
    };
    const { client, start } = await emulate(
      {
        StartAt: 'Erase',
        States: { Erase: { Type: 'Task', Resource: functionArn('erase-store'), Retry: [{ ErrorEquals: ['OtherError'] }], End: true } },
      },
      invoke,
    );

    const execution = await finished(client, await start({}));

    expect(execution).toMatchObject({ status: 'FAILED', error: 'StoreUnavailableError' });
    expect(JSON.parse(execution.cause!)).toMatchObject({ errorType: 'StoreUnavailableError', errorMessage: 'store is down' });
  });

  it('keeps a failing execution from disturbing the others', async () => {
    const invoke: Invoke = async (_name, payload) => {
      if ((payload as { fail?: boolean }).fail) throw new Error('boom');
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { ok: true };
    };
    const { client, start } = await emulate({ StartAt: 'Work', States: { Work: { Type: 'Task', Resource: functionArn('work'), End: true } } }, invoke);

    const [failing, passing] = await Promise.all([start({ fail: true }), start({ fail: false })]);

    expect((await finished(client, failing)).status).toBe('FAILED');
    expect((await finished(client, passing)).status).toBe('SUCCEEDED');
  });
});

// ---------------------------------------------------------------- executions API

describe('LocalStepFunctions executions API', () => {
  it('returns the same execution for a repeated StartExecution with the same name and input', async () => {
    const { invoke, nextCall } = recorder();
    const { client, start } = await emulate(callbackMachine(), invoke);
    const request = { stateMachineArn, name: 'request-1', input: JSON.stringify({ requestId: 'r-1' }) };

    const called = nextCall();
    const first = await client.send(new StartExecutionCommand(request));
    const again = await client.send(new StartExecutionCommand(request));

    expect(again.executionArn).toBe(first.executionArn);
    expect(again.startDate).toEqual(first.startDate);
    expect(first.executionArn).toBe('arn:aws:states:us-east-1:000000000000:execution:test-machine:request-1');
    await expect(client.send(new StartExecutionCommand({ ...request, input: '{"requestId":"r-2"}' }))).rejects.toBeInstanceOf(ExecutionAlreadyExists);

    // Like AWS, the name stays taken once the execution is closed, even with the same input.
    await client.send(new SendTaskSuccessCommand({ taskToken: (await called).payload.taskToken, output: '{}' }));
    await finished(client, first.executionArn!);
    await expect(client.send(new StartExecutionCommand(request))).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    expect(await start({ requestId: 'r-1' })).not.toBe(first.executionArn); // no name: a fresh one
  });

  it('stops a running execution and closes its task token', async () => {
    const { invoke, nextCall } = recorder();
    const { client, start, emulator } = await emulate(callbackMachine(), invoke);

    const called = nextCall();
    const executionArn = await start({ requestId: 'r-1' });
    const { taskToken } = (await called).payload;
    await client.send(new StopExecutionCommand({ executionArn, error: 'Cancelled', cause: 'requester withdrew' }));

    expect(await client.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({
      status: 'ABORTED',
      error: 'Cancelled',
      cause: 'requester withdrew',
    });
    await expect(client.send(new SendTaskSuccessCommand({ taskToken, output: '{}' }))).rejects.toBeInstanceOf(TaskTimedOut);
    const { executions } = await client.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'ABORTED' }));
    expect(executions!.map((execution) => execution.executionArn)).toEqual([executionArn]);
    expect(emulator.executions()).toMatchObject([{ executionArn, status: 'ABORTED' }]);
  });

  it('lists executions newest first and filters them by status', async () => {
    const { client, start } = await emulate({ StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } }, recorder().invoke);

    const first = await start({}, 'first');
    await finished(client, first);
    const second = await start({}, 'second');
    await finished(client, second);

    const all = await client.send(new ListExecutionsCommand({ stateMachineArn }));
    expect(all.executions!.map((execution) => execution.name)).toEqual(['second', 'first']);
    const paged = await client.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 1 }));
    expect(paged.executions).toHaveLength(1);
    const rest = await client.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 1, nextToken: paged.nextToken! }));
    expect(rest.executions!.map((execution) => execution.name)).toEqual(['first']);
    expect((await client.send(new ListExecutionsCommand({ stateMachineArn, statusFilter: 'RUNNING' }))).executions).toEqual([]);
  });

  it('records the execution history with state names, in order', async () => {
    const { client, start } = await emulate(
      {
        StartAt: 'Greet',
        States: {
          Greet: { Type: 'Task', Resource: functionArn('greet'), Next: 'Done' },
          Done: { Type: 'Pass', End: true },
        },
      },
      recorder(() => ({ hello: true })).invoke,
    );

    const executionArn = await start({ requestId: 'r-1' });
    await finished(client, executionArn);
    const { events } = await client.send(new GetExecutionHistoryCommand({ executionArn }));

    expect(events!.map((event) => event.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events!.map((event) => event.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(events![1]!.stateEnteredEventDetails).toMatchObject({ name: 'Greet', input: '{"requestId":"r-1"}' });
    expect(events![5]!.stateExitedEventDetails).toMatchObject({ name: 'Greet', output: '{"hello":true}' });
    expect(events![0]!.timestamp).toBeInstanceOf(Date);
    const reversed = await client.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 1 }));
    expect(reversed.events!.map((event) => event.type)).toEqual(['ExecutionSucceeded']);
  });

  it('answers AWS errors for unknown state machines, executions and operations', async () => {
    const { client, url } = await emulate(callbackMachine(), recorder().invoke);

    await expect(client.send(new StartExecutionCommand({ stateMachineArn: `${stateMachineArn}-other`, input: '{}' }))).rejects.toBeInstanceOf(
      StateMachineDoesNotExist,
    );
    await expect(client.send(new DescribeExecutionCommand({ executionArn: `${stateMachineArn}:nope` }))).rejects.toBeInstanceOf(ExecutionDoesNotExist);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'AWSStepFunctions.CreateActivity' },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'UnknownOperationException' });
  });
});

// ---------------------------------------------------------------- definitions from CDK

describe('resolveDefinitionString', () => {
  it('joins CDK parts, resolving Ref and Fn::GetAtt through the callback', () => {
    const synthesized = {
      'Fn::Join': [
        '',
        [
          '{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"',
          { 'Fn::GetAtt': ['VerifyFn1A2B3C', 'Arn'] },
          '","Parameters":{"Table":"',
          { Ref: 'Table9F8E7D' },
          '"},"End":true}}}',
        ],
      ],
    };

    const definition = resolveDefinitionString(synthesized, (logicalId, attribute) => (attribute ? `${logicalId}.${attribute}` : `ref:${logicalId}`));

    expect(definition).toEqual({
      StartAt: 'A',
      States: { A: { Type: 'Task', Resource: 'VerifyFn1A2B3C.Arn', Parameters: { Table: 'ref:Table9F8E7D' }, End: true } },
    });
  });

  it('resolves pseudo parameters such as AWS::Partition without asking the callback', () => {
    const synthesized = { 'Fn::Join': ['', ['{"Resource":"arn:', { Ref: 'AWS::Partition' }, ':states:::lambda:invoke"}']] };
    const asked: string[] = [];

    const definition = resolveDefinitionString(synthesized, (logicalId) => {
      asked.push(logicalId);
      return '';
    });

    expect(definition).toEqual({ Resource: 'arn:aws:states:::lambda:invoke' });
    expect(asked).toEqual([]);
  });

  it('accepts a definition that is already a plain string', () => {
    expect(resolveDefinitionString('{"StartAt":"A","States":{}}', () => '')).toEqual({ StartAt: 'A', States: {} });
  });

  it('names the intrinsic it cannot resolve', () => {
    const synthesized = { 'Fn::Join': ['', ['{"a":"', { 'Fn::ImportValue': 'OtherStack:Name' }, '"}']] };
    expect(() => resolveDefinitionString(synthesized, () => '')).toThrow(/unsupported intrinsic Fn::ImportValue/);
  });

  it('resolves Fn::Sub with pseudo parameters, logical ids, attributes and its own variables', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's own ${} syntax, not a template literal
    const synthesized = { 'Fn::Sub': ['{"a":"${AWS::Region}/${Table}/${Fn.Arn}/${extra}/${!Literal}"}', { extra: { Ref: 'Other' } }] };
    const definition = resolveDefinitionString(synthesized, (logicalId, attribute) => (attribute ? `${logicalId}.${attribute}` : `ref:${logicalId}`));
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Fn::Sub's escape ${!Literal} resolves to a literal ${Literal}
    expect(definition).toEqual({ a: 'us-east-1/ref:Table/Fn.Arn/ref:Other/${Literal}' });
  });
});
