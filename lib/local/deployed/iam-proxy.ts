/**
 * An HTTP front for one local AWS emulator that authorizes every call against the calling
 * function's IAM policies before forwarding it. A denied call gets the service's own error shape,
 * so the AWS SDK v3 throws its named error (AccessDeniedException / AccessDenied) with a message
 * naming the action and the resource, as AWS does.
 *
 * The request body is read whole before it is authorized (DeleteObjects and the JSON protocols
 * need it), so this suits local test traffic, not multi-gigabyte uploads. The Host header is
 * forwarded as the client sent it: the SigV4 signature covers it, and URLs the emulator derives
 * from it then point back through the proxy.
 */
import { randomUUID } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpCall } from './aws-call-actions.ts';
import type { Decision } from './policy-evaluator.ts';

export type ProxiedService = 'dynamodb' | 's3' | 'ses' | 'states' | 'secretsmanager';

export interface IamProxyOptions {
  service: ProxiedService;
  /** The emulator's base URL, e.g. http://127.0.0.1:4567 */
  target: string;
  authorize: (call: HttpCall) => Promise<Decision>;
  host?: '127.0.0.1';
  /** Default 0 (a free port); a fixed port keeps URLs handed out before a restart working. */
  port?: number;
}

export interface IamProxy {
  readonly url: string;
  stop(): Promise<void>;
}

/** Headers that belong to one connection, not to the request. */
const hopByHop = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'expect']);

export async function startIamProxy(options: IamProxyOptions): Promise<IamProxy> {
  const target = new URL(options.target);
  const server = createServer((req, res) => {
    handle(req, res, options, target).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`local IAM proxy failed: ${(error as Error).message}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, options: IamProxyOptions, target: URL): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const rawUrl = req.url ?? '/';
  const queryStart = rawUrl.indexOf('?');
  const call: HttpCall = {
    method: req.method ?? 'GET',
    path: queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart),
    query: new URLSearchParams(queryStart === -1 ? '' : rawUrl.slice(queryStart + 1)),
    headers: flatHeaders(req.headers),
    body,
  };
  let decision: Decision;
  try {
    decision = await options.authorize(call);
  } catch (error) {
    // Never forward a call whose authorization failed.
    decision = {
      allowed: false,
      action: 'unknown',
      resource: '*',
      reason: `the local IAM layer failed: ${(error as Error).message}`,
      principal: '(unidentified caller)',
    };
  }
  if (!decision.allowed) {
    sendDenial(res, options.service, call.method, decision);
    return;
  }
  await forward(req, res, call, body, target);
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function forward(req: IncomingMessage, res: ServerResponse, call: HttpCall, body: Buffer, target: URL): Promise<void> {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && !hopByHop.has(name)) headers[name] = value;
  }
  // The body was read whole: send it with a length whatever framing the client used.
  headers['content-length'] = String(body.length);
  const basePath = target.pathname.replace(/\/+$/, '');
  return new Promise<void>((resolve) => {
    const upstream = httpRequest(
      { protocol: target.protocol, hostname: target.hostname, port: target.port, method: call.method, path: basePath + (req.url ?? '/'), headers },
      (answer) => {
        const answerHeaders: OutgoingHttpHeaders = {};
        for (const [name, value] of Object.entries(answer.headers)) {
          if (value !== undefined && !hopByHop.has(name)) answerHeaders[name] = value;
        }
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answerHeaders);
        answer.pipe(res);
        answer.on('end', () => resolve());
        answer.on('error', () => {
          res.destroy();
          resolve();
        });
      },
    );
    upstream.on('error', (error) => {
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`local IAM proxy: the emulator at ${target.origin} did not answer: ${error.message}`);
      } else {
        res.destroy();
      }
      resolve();
    });
    upstream.end(body);
  });
}

/** What the SDK v3 turns into an error named AccessDeniedException / AccessDenied. */
function sendDenial(res: ServerResponse, service: ProxiedService, method: string, decision: Decision): void {
  const requestId = randomUUID();
  const unrecognized = decision.unrecognized ?? (decision.principal === undefined ? 'unknown-access-key' : undefined);
  const message =
    unrecognized === undefined
      ? `User: ${decision.principal} is not authorized to perform: ${decision.action} on resource: ${decision.resource} because ${decision.reason}`
      : unrecognizedMessage(service, unrecognized, decision.reason);
  if (service === 's3') {
    // An unknown access key is InvalidAccessKeyId in S3; an unsigned or forbidden call AccessDenied.
    const code = unrecognized === 'unknown-access-key' ? 'InvalidAccessKeyId' : 'AccessDenied';
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      `<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message><RequestId>${requestId}</RequestId><HostId>${requestId}</HostId></Error>`;
    // A HEAD answer carries no body, as with S3 itself: SDK v3 then throws a 403 named 'Unknown' ('UnknownError'), as it does against AWS.
    res.writeHead(403, {
      'content-type': 'application/xml',
      'x-amz-request-id': requestId,
      'content-length': method.toUpperCase() === 'HEAD' ? '0' : Buffer.byteLength(xml),
    });
    res.end(method.toUpperCase() === 'HEAD' ? undefined : xml);
    return;
  }
  const type =
    unrecognized === undefined ? 'AccessDeniedException' : unrecognized === 'unsigned' ? 'MissingAuthenticationTokenException' : 'UnrecognizedClientException';
  if (service === 'ses') {
    // REST JSON: the error type travels in a header.
    const text = JSON.stringify({ message });
    res.writeHead(403, {
      'content-type': 'application/json',
      'x-amzn-errortype': type,
      'x-amzn-requestid': requestId,
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
    return;
  }
  const text = JSON.stringify({ __type: `com.amazon.coral.service#${type}`, message });
  const contentType = service === 'secretsmanager' ? 'application/x-amz-json-1.1' : 'application/x-amz-json-1.0';
  res.writeHead(400, { 'content-type': contentType, 'x-amzn-requestid': requestId, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function unrecognizedMessage(service: ProxiedService, unrecognized: 'unsigned' | 'unknown-access-key', reason: string): string {
  if (unrecognized === 'unsigned') return service === 's3' ? `Access Denied: ${reason}` : `Request is missing Authentication Token: ${reason}`;
  return service === 's3'
    ? `The AWS Access Key Id you provided does not exist in our records: ${reason}`
    : `The security token included in the request is invalid: ${reason}`;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (character) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[character]!);
}
