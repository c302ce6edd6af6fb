/**
 * One warm Lambda container for lambda-runtime.ts: imports a function's bundle once, then runs
 * one invocation at a time, each with a Lambda-shaped `context`. Plain JavaScript, so the thread
 * needs none of the TypeScript loaders its parent may run under.
 *
 * Messages to the parent: {type:'ready', initMs} | {type:'init-error', error} after the import;
 * {type:'result', json} | {type:'error', error} for each invocation.
 * Events arrive and results leave as JSON text, as Lambda serializes them.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

const { functionName, codeDir, handler: handlerSetting, memoryMb, region } = workerData;

// NODE_OPTIONS is read once per process, never by a thread: honour the one flag bundles rely on.
if (/(^|\s)--enable-source-maps(\s|$)/.test(process.env.NODE_OPTIONS ?? '')) process.setSourceMapsEnabled(true);

const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
const logStreamName = `${day}/[$LATEST]${randomBytes(16).toString('hex')}`;

class RuntimeError extends Error {
  constructor(name, message) {
    super(message);
    this.name = name;
  }
}

/** The error as Lambda reports it: errorType is the thrown error's name. */
function describe(error) {
  if (error instanceof Error) return { name: String(error.name || 'Error'), message: String(error.message), stack: error.stack };
  return { name: 'Error', message: typeof error === 'string' ? error : (JSON.stringify(error) ?? String(error)) };
}

/** `dir/file.export.path`: the module is everything up to the first dot after the last slash. */
function splitHandler(setting) {
  const dot = setting.indexOf('.', setting.lastIndexOf('/') + 1);
  if (dot <= 0 || dot === setting.length - 1)
    throw new RuntimeError('Runtime.MalformedHandlerName', `Bad handler ${setting} for function ${functionName}: expected <module>.<export>`);
  return { module: setting.slice(0, dot), path: setting.slice(dot + 1).split('.') };
}

async function loadHandler() {
  const { module, path } = splitHandler(handlerSetting);
  const base = resolve(codeDir, module);
  const file = ['.js', '.mjs', '.cjs'].map((extension) => base + extension).find((candidate) => existsSync(candidate));
  if (file === undefined) {
    throw new RuntimeError(
      'Runtime.ImportModuleError',
      `Error: Cannot find module '${module}' of function ${functionName}: none of ${base}.js, .mjs, .cjs exists`,
    );
  }
  let namespace;
  try {
    namespace = await import(pathToFileURL(file).href);
  } catch (error) {
    if (error instanceof SyntaxError)
      throw new RuntimeError('Runtime.UserCodeSyntaxError', `${error.name}: ${error.message} (function ${functionName}, ${file})`);
    if (error?.code === 'ERR_MODULE_NOT_FOUND' || error?.code === 'MODULE_NOT_FOUND') {
      throw new RuntimeError('Runtime.ImportModuleError', `Error: ${error.message} (function ${functionName}, ${file})`);
    }
    throw error;
  }
  // A CommonJS bundle's exports may only show under `default`.
  const lookup = (root) => path.reduce((value, key) => (value === undefined || value === null ? undefined : value[key]), root);
  const handler = lookup(namespace) ?? lookup(namespace.default);
  if (typeof handler !== 'function') {
    throw new RuntimeError('Runtime.HandlerNotFound', `${handlerSetting} is undefined or not exported (function ${functionName}, ${file})`);
  }
  return handler;
}

function contextFor(requestId, deadline) {
  return {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${functionName}`,
    memoryLimitInMB: String(memoryMb),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

async function invoke(handler, { requestId, deadline, event }) {
  let result;
  try {
    result = await handler(JSON.parse(event), contextFor(requestId, deadline));
  } catch (error) {
    parentPort.postMessage({ type: 'error', error: describe(error) });
    return;
  }
  let json;
  try {
    json = JSON.stringify(result) ?? 'null';
  } catch (error) {
    parentPort.postMessage({
      type: 'error',
      error: { name: 'Runtime.MarshalError', message: `Unable to stringify the result of ${functionName}: ${error.message}` },
    });
    return;
  }
  parentPort.postMessage({ type: 'result', json });
}

const started = performance.now();
let handler;
try {
  handler = await loadHandler();
} catch (error) {
  parentPort.postMessage({ type: 'init-error', error: describe(error) });
}
if (handler !== undefined) {
  parentPort.on('message', (message) => void invoke(handler, message));
  parentPort.postMessage({ type: 'ready', initMs: Math.round(performance.now() - started) });
}
