/**
 * Runs the bundles `cdk synth` wrote as Lambda runs them: each function in its own worker thread
 * (lambda-worker.mjs) with its own module instances, globals and process.env (exactly the
 * environment given, nothing of this process's), importing the bundle once and serving one event
 * at a time, like a warm container. Invocations of a busy function wait in line: one container
 * per function, where Lambda would scale out.
 *
 * Failures come back as LambdaInvocationError named by Lambda's errorType, which is what the
 * Step Functions emulator's Retry/Catch compare against: the thrown error's own name,
 * `Sandbox.Timedout` when the function's Timeout passes, `Runtime.ExitError` when the container
 * dies, `Runtime.ImportModuleError` / `Runtime.HandlerNotFound` when the bundle cannot be loaded.
 * A container that timed out, died or failed to initialise is replaced on the next invocation.
 *
 * Memory: the thread's V8 heap is capped near memoryMb, as Lambda's Node.js runtime sizes its old
 * space; everything else (buffers, the thread's stack) shares this process's memory, so the cap
 * is approximate.
 */
import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';

export interface LambdaFunctionConfig {
  /** e.g. 'verifyRequest' */
  readonly functionName: string;
  /** The bundle folder (LAMBDA_TASK_ROOT), absolute. */
  readonly codeDir: string;
  /** The template's Handler, e.g. 'index.handler': <codeDir>/index.mjs (or .js, .cjs), export `handler`. */
  readonly handler: string;
  /** The complete environment the function sees; nothing of this process's leaks in. */
  readonly environment: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
  /** Lambda's default, 128, when not given. */
  readonly memoryMb?: number;
}

export interface LambdaRuntime {
  /** Resolves with the handler's result as Lambda returns it (JSON); rejects with LambdaInvocationError. */
  invoke(functionName: string, event: unknown): Promise<unknown>;
  /** Terminates every worker; invocations still running or waiting reject. */
  stop(): Promise<void>;
}

export interface LambdaRuntimeOptions {
  /** Receives one line per cold start, init failure, timeout and crash. */
  readonly log?: (line: string) => void;
  /** 'lazy' (default): a function's worker starts on its first invocation; 'eager': all start now. */
  readonly coldStart?: 'lazy' | 'eager';
}

/** A failed invocation; `name` and `errorType` are Lambda's errorType, `stack` the function's own trace. */
export class LambdaInvocationError extends Error {
  readonly errorType: string;
  readonly functionName: string;

  constructor(functionName: string, errorType: string, message: string, stack?: string) {
    super(message);
    this.name = errorType;
    this.errorType = errorType;
    this.functionName = functionName;
    if (stack !== undefined) this.stack = stack;
  }
}

/** Lambda's init phase limit; the function's own Timeout starts when the handler is called. */
const INIT_TIMEOUT_SECONDS = 10;
const DEFAULT_MEMORY_MB = 128;
const workerFile = new URL('./lambda-worker.mjs', import.meta.url);

export function startLambdaRuntime(functions: readonly LambdaFunctionConfig[], options: LambdaRuntimeOptions = {}): LambdaRuntime {
  const log = options.log ?? (() => undefined);
  const hosts = new Map<string, FunctionHost>();
  for (const config of functions) {
    if (hosts.has(config.functionName)) throw new Error(`Function ${config.functionName} is configured twice`);
    hosts.set(config.functionName, new FunctionHost(config, log));
  }
  if (options.coldStart === 'eager') for (const host of hosts.values()) host.warm();
  let stopped = false;

  return {
    invoke: async (functionName, event) => {
      const host = hosts.get(functionName);
      if (host === undefined) {
        throw new LambdaInvocationError(
          functionName,
          'ResourceNotFoundException',
          `Function not found: arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
        );
      }
      if (stopped) throw stoppedError(functionName);
      return host.invoke(event);
    },
    stop: async () => {
      stopped = true;
      await Promise.all([...hosts.values()].map((host) => host.stop()));
    },
  };
}

/** One function: its current container and the line of invocations waiting for it. */
class FunctionHost {
  private container: Container | undefined;
  private line: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly config: LambdaFunctionConfig,
    private readonly log: (line: string) => void,
  ) {}

  warm(): void {
    this.current();
  }

  invoke(event: unknown): Promise<unknown> {
    // Serialize before waiting in line: the caller may change the event object afterwards.
    const payload = JSON.stringify(event) ?? 'null';
    const run = this.line.then(() => {
      if (this.stopped) throw stoppedError(this.config.functionName);
      return this.current().invoke(payload);
    });
    this.line = run.catch(() => undefined);
    return run;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.container?.stop();
  }

  private current(): Container {
    if (this.container === undefined || this.container.dead) this.container = new Container(this.config, this.log);
    return this.container;
  }
}

interface Pending {
  readonly requestId: string | undefined;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
}

type WorkerMessage =
  | { type: 'ready'; initMs: number }
  | { type: 'init-error'; error: RemoteError }
  | { type: 'result'; json: string }
  | { type: 'error'; error: RemoteError };

interface RemoteError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
}

/** One worker thread: a Lambda execution environment, from init until it is recycled. */
class Container {
  dead = false;
  private readonly worker: Worker;
  private readonly ready: Promise<unknown>;
  private pending: Pending | undefined;
  private crash: Error | undefined;
  private terminated: Promise<unknown> | undefined;
  private exitCode = 0;

  constructor(
    private readonly config: LambdaFunctionConfig,
    private readonly log: (line: string) => void,
  ) {
    const memoryMb = config.memoryMb ?? DEFAULT_MEMORY_MB;
    this.worker = new Worker(workerFile, {
      name: `lambda:${config.functionName}`,
      env: { ...config.environment },
      // Not the parent's tsx/vitest loaders: a bundle is plain JavaScript.
      execArgv: [],
      workerData: {
        functionName: config.functionName,
        codeDir: config.codeDir,
        handler: config.handler,
        memoryMb,
        region: config.environment.AWS_REGION ?? 'us-east-1',
      },
      // Lambda's Node.js runtime gives old space about 90% of the function's memory.
      resourceLimits: { maxOldGenerationSizeMb: Math.floor(memoryMb * 0.9) },
    });
    this.worker.on('message', (message: WorkerMessage) => this.receive(message));
    this.worker.on('error', (error) => {
      this.crash = error;
    });
    this.worker.on('exit', (code) => this.exited(code));
    this.ready = this.wait(
      undefined,
      INIT_TIMEOUT_SECONDS,
      () =>
        new LambdaInvocationError(
          config.functionName,
          'Sandbox.Timedout',
          `Init of ${config.functionName} timed out after ${INIT_TIMEOUT_SECONDS.toFixed(2)} seconds`,
        ),
    );
    // Seen by the first invocation; an eager start nobody invokes must not go unhandled.
    this.ready.catch(() => undefined);
  }

  async invoke(payload: string): Promise<unknown> {
    await this.ready;
    if (this.dead) throw this.exitError(undefined, this.exitCode);
    const requestId = randomUUID();
    const { functionName, timeoutSeconds } = this.config;
    const result = this.wait(
      requestId,
      timeoutSeconds,
      () =>
        new LambdaInvocationError(
          functionName,
          'Sandbox.Timedout',
          `${new Date().toISOString()} ${requestId} Task timed out after ${timeoutSeconds.toFixed(2)} seconds`,
        ),
    );
    this.worker.postMessage({ requestId, deadline: Date.now() + timeoutSeconds * 1000, event: payload });
    return result;
  }

  async stop(): Promise<void> {
    this.fail(stoppedError(this.config.functionName));
    await this.kill();
  }

  /** The one outstanding step (init, then each invocation), bounded by `seconds`. */
  private wait(requestId: string | undefined, seconds: number, timedOut: () => LambdaInvocationError): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const error = timedOut();
        this.log(`lambda ${this.config.functionName}: ${error.message}; its worker is replaced`);
        this.fail(error);
      }, seconds * 1000);
      this.pending = {
        requestId,
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
    });
  }

  private settle(outcome: { value: unknown } | { error: Error }): void {
    const pending = this.pending;
    this.pending = undefined;
    if (pending === undefined) return;
    if ('error' in outcome) pending.reject(outcome.error);
    else pending.resolve(outcome.value);
  }

  /** Ends the outstanding step with `error` and recycles the container, as Lambda does. */
  private fail(error: Error): void {
    this.settle({ error });
    void this.kill();
  }

  private kill(): Promise<unknown> {
    this.dead = true;
    this.terminated ??= this.worker.terminate();
    return this.terminated;
  }

  private receive(message: WorkerMessage): void {
    const { functionName } = this.config;
    switch (message.type) {
      case 'ready':
        this.log(`lambda ${functionName}: cold start, init ${message.initMs} ms`);
        this.settle({ value: undefined });
        return;
      case 'init-error':
        this.log(`lambda ${functionName}: init failed: ${message.error.name}: ${message.error.message}`);
        this.fail(remoteError(functionName, message.error));
        return;
      case 'result':
        this.settle({ value: JSON.parse(message.json) });
        return;
      case 'error':
        this.settle({ error: remoteError(functionName, message.error) });
        return;
    }
  }

  private exited(code: number): void {
    const wasAlive = !this.dead;
    this.dead = true;
    this.exitCode = code;
    if (!wasAlive) return;
    const error = this.exitError(this.pending?.requestId, code);
    this.log(`lambda ${this.config.functionName}: worker exited: ${error.message}`);
    this.settle({ error });
  }

  private exitError(requestId: string | undefined, code: number): LambdaInvocationError {
    const crash = this.crash;
    const prefix = requestId === undefined ? '' : `RequestId: ${requestId} `;
    if ((crash as NodeJS.ErrnoException | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
      return new LambdaInvocationError(
        this.config.functionName,
        'Runtime.OutOfMemory',
        `${prefix}Error: Runtime exited with error: out of memory (${this.config.memoryMb ?? DEFAULT_MEMORY_MB} MB)`,
      );
    }
    // Node ends a thread with 13 when its module's top-level await can never settle.
    const unsettled = code === 13 && this.pending !== undefined && this.pending.requestId === undefined ? ' (the bundle never finished loading)' : '';
    const reason = crash === undefined ? `exit status ${code}${unsettled}` : `${crash.name}: ${crash.message}`;
    return new LambdaInvocationError(this.config.functionName, 'Runtime.ExitError', `${prefix}Error: Runtime exited with error: ${reason}`, crash?.stack);
  }
}

function remoteError(functionName: string, error: RemoteError): LambdaInvocationError {
  return new LambdaInvocationError(functionName, error.name, error.message, error.stack);
}

function stoppedError(functionName: string): LambdaInvocationError {
  return new LambdaInvocationError(functionName, 'Runtime.ExitError', `The local Lambda runtime stopped before ${functionName} answered`);
}
