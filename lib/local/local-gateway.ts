import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import type { Route } from '../function-catalog.ts';
import type { OfficerIssuer } from './officer-issuer.ts';

/** A handler as deployed: API Gateway HTTP API payload v2 in, result out. */
export type HttpLambda = (event: APIGatewayProxyEventV2, context: unknown) => Promise<APIGatewayProxyResultV2>;

export interface LocalGatewayOptions {
  readonly routes: readonly Route[];
  readonly handlerFor: (route: Route) => Promise<HttpLambda>;
  readonly issuer: OfficerIssuer;
  readonly port: number;
  /** Extra local-only endpoints (the issuer's pages); return true when handled. */
  readonly extra?: (request: IncomingMessage, response: ServerResponse, body: Buffer) => Promise<boolean>;
}

/** API Gateway's own payload limit for HTTP APIs. */
const maxPayloadBytes = 10 * 1024 * 1024;

interface CompiledRoute {
  readonly route: Route;
  readonly pattern: RegExp;
  readonly parameterNames: string[];
}

function compile(route: Route): CompiledRoute {
  const parameterNames: string[] = [];
  const source = route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{([^}]+)\\?\}/g, (_match, name: string) => {
    parameterNames.push(name);
    return '([^/]+)';
  });
  return { route, pattern: new RegExp(`^${source}$`), parameterNames };
}

/**
 * The local API Gateway: the same route table as the CDK API, the same event shape (payload v2),
 * the same JWT check in front of officer routes, and the source IP from the connection, never
 * from a header.
 */
export class LocalGateway {
  private server: Server | undefined;
  private readonly compiled: CompiledRoute[];

  constructor(private readonly options: LocalGatewayOptions) {
    this.compiled = options.routes.map(compile);
  }

  async start(): Promise<{ url: string; port: number }> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        console.error('local gateway: handler crashed', error);
        if (!response.headersSent) respond(response, 500, { message: 'Internal Server Error' });
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(this.options.port, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    return { url: `http://localhost:${port}`, port };
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    if (body === undefined) return respond(response, 413, { message: 'Request Entity Too Large' });
    if (this.options.extra && (await this.options.extra(request, response, body))) return;

    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = request.method ?? 'GET';
    const match = this.match(method, url.pathname);
    if (!match) return respond(response, 404, { message: 'Not Found' });

    const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : (value ?? '')]));
    let authorizer: { jwt: { claims: Record<string, unknown>; scopes: null } } | undefined;
    if (match.route.auth === 'officer') {
      const token = /^Bearer (.+)$/i.exec(headers.authorization ?? '')?.[1];
      const claims = token ? await this.options.issuer.verify(token) : undefined;
      // API Gateway's JWT authorizer refuses a token without exp: one that never expires is never accepted here either.
      if (!claims || typeof claims.exp !== 'number') return respond(response, 401, { message: 'Unauthorized' });
      authorizer = { jwt: { claims: claims as Record<string, unknown>, scopes: null } };
    }

    const now = new Date();
    const routeKey = `${match.route.method} ${match.route.path}`;
    const event = {
      version: '2.0',
      routeKey,
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      headers,
      ...(url.search ? { queryStringParameters: Object.fromEntries(url.searchParams) } : {}),
      ...(Object.keys(match.parameters).length ? { pathParameters: match.parameters } : {}),
      ...(body.length ? { body: body.toString('utf8') } : {}),
      isBase64Encoded: false,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        domainName: headers.host ?? 'localhost',
        domainPrefix: 'localhost',
        http: {
          method,
          path: url.pathname,
          protocol: `HTTP/${request.httpVersion}`,
          sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
          userAgent: headers['user-agent'] ?? '',
        },
        requestId: randomUUID(),
        routeKey,
        stage: '$default',
        time: now.toUTCString(),
        timeEpoch: now.getTime(),
        ...(authorizer ? { authorizer } : {}),
      },
    } as APIGatewayProxyEventV2;

    const handler = await this.options.handlerFor(match.route);
    const result = await handler(event, lambdaContext(match.route.function));
    writeResult(response, result);
  }

  private match(method: string, path: string): { route: Route; parameters: Record<string, string> } | undefined {
    for (const { route, pattern, parameterNames } of this.compiled) {
      if (route.method !== method) continue;
      const found = pattern.exec(path);
      if (!found) continue;
      try {
        return { route, parameters: Object.fromEntries(parameterNames.map((name, index) => [name, decodeURIComponent(found[index + 1]!)])) };
      } catch {
        return undefined;
      }
    }
    return undefined;
  }
}

export function lambdaContext(functionName: string) {
  const deadline = Date.now() + 30_000;
  return {
    functionName,
    functionVersion: '$LATEST',
    awsRequestId: randomUUID(),
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '256',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxPayloadBytes) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function respond(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** Writes a handler's result the way API Gateway does, including its string shorthand. */
function writeResult(response: ServerResponse, result: APIGatewayProxyResultV2): void {
  if (typeof result === 'string' || result === undefined || result === null || !('statusCode' in (result as object))) {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(typeof result === 'string' ? result : JSON.stringify(result));
    return;
  }
  const headers: Record<string, string | string[]> = { ...(result.headers as Record<string, string>) };
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  response.writeHead(result.statusCode ?? 200, headers);
  response.end(result.body ? Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8') : undefined);
}
