import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DescribeSecretCommand, GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LambdaInvocationError, startLambdaRuntime, type LambdaFunctionConfig, type LambdaRuntime } from '../../lib/local/deployed/lambda-runtime.ts';
import { startSecretsManagerEmulator, type SecretsManagerEmulator } from '../../lib/local/secrets-manager-emulator.ts';
import { LocalStepFunctions } from '../../lib/local/step-functions/emulator.ts';

/** Tiny bundles, each a folder with an index.mjs, as `cdk synth` writes them. */
const bundles: Record<string, string> = {
  environment: `export const handler = async () => ({ ...process.env });`,
  counter: `let calls = 0; export const handler = async () => ({ calls: ++calls });`,
  counterTwin: `let calls = 0; export const handler = async () => ({ calls: ++calls });`,
  overlap: `
    let running = 0;
    let most = 0;
    export const handler = async () => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setTimeout(resolve, 20));
      running -= 1;
      return { most };
    };`,
  mail: `
    class MailNotSentError extends Error { name = 'MailNotSentError'; }
    export const handler = async (event) => { throw new MailNotSentError('SES refused ' + event.to); };`,
  slow: `
    let invocations = 0;
    export const handler = async (event) => {
      invocations += 1;
      if (event.hang) await new Promise(() => {});
      return { invocations };
    };`,
  context: `
    export const handler = async (event, context) => {
      const first = context.getRemainingTimeInMillis();
      await new Promise((resolve) => setTimeout(resolve, 150));
      const { getRemainingTimeInMillis, done, fail, succeed, ...fields } = context;
      return { first, second: context.getRemainingTimeInMillis(), fields, event };
    };`,
  wrongExport: `export const main = async () => 'never';`,
  crash: `export const handler = async (event) => { if (event.exit) setTimeout(() => process.exit(3)); else setTimeout(() => { throw new Error('boom'); }); return new Promise(() => {}); };`,
};

let root: string;
let runtime: LambdaRuntime;
const leaked = 'DSR_PARENT_ONLY_VARIABLE';

function config(functionName: string, overrides: Partial<LambdaFunctionConfig> = {}): LambdaFunctionConfig {
  return {
    functionName,
    codeDir: join(root, functionName),
    handler: 'index.handler',
    environment: { AWS_REGION: 'eu-west-1', GREETING: 'hello' },
    timeoutSeconds: 5,
    memoryMb: 256,
    ...overrides,
  };
}

async function failure(promise: Promise<unknown>): Promise<LambdaInvocationError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(LambdaInvocationError);
  return error as LambdaInvocationError;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'lambda-runtime-'));
  for (const [name, source] of Object.entries(bundles)) {
    mkdirSync(join(root, name));
    writeFileSync(join(root, name, 'index.mjs'), source);
  }
  process.env[leaked] = 'must not reach a function';
  runtime = startLambdaRuntime([
    config('environment'),
    config('counter'),
    config('counterTwin'),
    config('overlap'),
    config('mail'),
    config('slow', { timeoutSeconds: 1 }),
    config('context', { timeoutSeconds: 3 }),
    config('wrongExport'),
    config('crash'),
    config('missing'),
  ]);
});

afterAll(async () => {
  await runtime.stop();
  delete process.env[leaked];
  rmSync(root, { recursive: true, force: true });
});

describe('local Lambda runtime', () => {
  it('gives a function exactly its configured environment, nothing of the parent process', async () => {
    expect(process.env[leaked]).toBeDefined();
    expect(await runtime.invoke('environment', {})).toEqual({ AWS_REGION: 'eu-west-1', GREETING: 'hello' });
  });

  it('keeps module state per function, and warm across invocations of one function', async () => {
    expect(await runtime.invoke('counter', {})).toEqual({ calls: 1 });
    expect(await runtime.invoke('counter', {})).toEqual({ calls: 2 });
    expect(await runtime.invoke('counterTwin', {})).toEqual({ calls: 1 });
  });

  it('runs concurrent invocations of one function one at a time', async () => {
    const results = await Promise.all([1, 2, 3].map(() => runtime.invoke('overlap', {})));
    expect(results).toEqual([{ most: 1 }, { most: 1 }, { most: 1 }]);
  });

  it('rejects with the thrown error’s name and message, which Retry/Catch match', async () => {
    const error = await failure(runtime.invoke('mail', { to: 'officer' }));
    expect(error).toMatchObject({ name: 'MailNotSentError', errorType: 'MailNotSentError', functionName: 'mail', message: 'SES refused officer' });
    expect(error.stack).toMatch(/^MailNotSentError: SES refused officer\n\s+at /);
  });

  it('lets the Step Functions emulator retry and catch a function error by its name', async () => {
    let attempts = 0;
    const stateMachineArn = 'arn:aws:states:us-east-1:000000000000:stateMachine:test-machine';
    const emulator = new LocalStepFunctions({
      stateMachineArn,
      retryIntervalScale: 0.01,
      invoke: (functionName, payload) => {
        attempts += 1;
        return runtime.invoke(functionName, payload);
      },
      definition: {
        StartAt: 'Notify',
        States: {
          Notify: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:mail', 'Payload.$': '$' },
            Retry: [{ ErrorEquals: ['MailNotSentError'], IntervalSeconds: 1, MaxAttempts: 2 }],
            Catch: [{ ErrorEquals: ['MailNotSentError'], ResultPath: '$.failure', Next: 'Unsent' }],
            End: true,
          },
          Unsent: { Type: 'Pass', End: true },
        },
      },
    });
    const { url } = await emulator.start();
    const client = new SFNClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    try {
      const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify({ to: 'officer' }) }));
      const describe = () => client.send(new DescribeExecutionCommand({ executionArn }));
      await expect.poll(async () => (await describe()).status).toBe('SUCCEEDED');
      const output = JSON.parse((await describe()).output!) as { failure: { Error: string; Cause: string } };
      expect(attempts).toBe(3);
      expect(output.failure.Error).toBe('MailNotSentError');
      expect(JSON.parse(output.failure.Cause)).toMatchObject({ errorType: 'MailNotSentError', errorMessage: 'SES refused officer' });
    } finally {
      client.destroy();
      await emulator.stop();
    }
  });

  it('times out after timeoutSeconds as Sandbox.Timedout, then serves the next event from a fresh worker', async () => {
    expect(await runtime.invoke('slow', {})).toEqual({ invocations: 1 });
    const started = Date.now();
    const error = await failure(runtime.invoke('slow', { hang: true }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(error).toMatchObject({ name: 'Sandbox.Timedout', errorType: 'Sandbox.Timedout' });
    expect(error.message).toMatch(/ Task timed out after 1\.00 seconds$/);
    // A fresh container: module state starts over.
    expect(await runtime.invoke('slow', {})).toEqual({ invocations: 1 });
  });

  it('passes the event as JSON and a Lambda-shaped context whose remaining time counts down', async () => {
    const result = (await runtime.invoke('context', { at: new Date(0), skipped: undefined })) as {
      first: number;
      second: number;
      fields: Record<string, unknown>;
      event: unknown;
    };
    expect(result.event).toEqual({ at: '1970-01-01T00:00:00.000Z' });
    expect(result.first).toBeLessThanOrEqual(3000);
    expect(result.first).toBeGreaterThan(2000);
    expect(result.first - result.second).toBeGreaterThanOrEqual(140);
    expect(result.fields).toEqual({
      functionName: 'context',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:context',
      memoryLimitInMB: '256',
      awsRequestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      logGroupName: '/aws/lambda/context',
      logStreamName: expect.stringMatching(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/),
      callbackWaitsForEmptyEventLoop: true,
    });
  });

  it('names a missing export Runtime.HandlerNotFound and a missing bundle Runtime.ImportModuleError', async () => {
    const notFound = await failure(runtime.invoke('wrongExport', {}));
    expect(notFound.errorType).toBe('Runtime.HandlerNotFound');
    expect(notFound.message).toContain('index.handler is undefined or not exported (function wrongExport');
    const missing = await failure(runtime.invoke('missing', {}));
    expect(missing.errorType).toBe('Runtime.ImportModuleError');
    expect(missing.message).toContain(`Cannot find module 'index' of function missing: none of ${join(root, 'missing', 'index')}.js, .mjs, .cjs exists`);
  });

  it('rejects with Runtime.ExitError when the worker crashes or exits, and starts a new one', async () => {
    const uncaught = await failure(runtime.invoke('crash', {}));
    expect(uncaught.errorType).toBe('Runtime.ExitError');
    expect(uncaught.message).toMatch(/Runtime exited with error: Error: boom$/);
    const exited = await failure(runtime.invoke('crash', { exit: true }));
    expect(exited.errorType).toBe('Runtime.ExitError');
    expect(exited.message).toMatch(/Runtime exited with error: exit status 3$/);
  });
});

describe('local Secrets Manager', () => {
  const arn = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:dsr/intake-link-key-AbC123';
  let emulator: SecretsManagerEmulator;
  let client: SecretsManagerClient;

  beforeAll(async () => {
    emulator = await startSecretsManagerEmulator({ secrets: [{ name: 'dsr/intake-link-key', arn, value: 'k1' }] });
    client = new SecretsManagerClient({ endpoint: emulator.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  });
  afterAll(async () => {
    client.destroy();
    await emulator.stop();
  });

  it('answers GetSecretValue by name, full ARN and partial ARN', async () => {
    for (const SecretId of ['dsr/intake-link-key', arn, arn.slice(0, -7)]) {
      const answer = await client.send(new GetSecretValueCommand({ SecretId }));
      expect(answer).toMatchObject({ ARN: arn, Name: 'dsr/intake-link-key', SecretString: 'k1', VersionStages: ['AWSCURRENT'] });
      expect(answer.CreatedDate).toBeInstanceOf(Date);
    }
  });

  it('gives a secret put again a new current version', async () => {
    const before = await client.send(new DescribeSecretCommand({ SecretId: arn }));
    emulator.put({ name: 'dsr/intake-link-key', arn, value: 'k2' });
    const answer = await client.send(new GetSecretValueCommand({ SecretId: 'dsr/intake-link-key' }));
    expect(answer.SecretString).toBe('k2');
    expect(Object.keys(before.VersionIdsToStages ?? {})).not.toContain(answer.VersionId);
  });

  it('throws ResourceNotFoundException for an unknown secret', async () => {
    for (const SecretId of ['dsr/unknown', 'arn:aws:secretsmanager:us-east-1:000000000000:secret:dsr/intake-link-k']) {
      const error = await client.send(new GetSecretValueCommand({ SecretId })).catch((reason: unknown) => reason);
      expect(error).toBeInstanceOf(ResourceNotFoundException);
      expect((error as Error).message).toBe("Secrets Manager can't find the specified secret.");
    }
  });
});
