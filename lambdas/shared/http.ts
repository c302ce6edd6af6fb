import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { officerGroup } from './settings.ts';
import {
  ConflictError,
  DomainError,
  InvalidLinkError,
  RequestNotFoundError,
  SignatureRefusedError,
  UnknownStoreError,
  ValidationError,
} from '../domain/errors.ts';
import { logger } from './logger.ts';

export type HttpEvent = APIGatewayProxyEventV2 & Partial<Pick<APIGatewayProxyEventV2WithJWTAuthorizer, 'requestContext'>> & { body?: unknown };
export type HttpResult = APIGatewayProxyStructuredResultV2;

/** An error whose message is safe to show the caller, with the HTTP status to answer. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const baseHeaders = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  // API Gateway adds no HSTS of its own: the API answers say https-only as the pages do (browsers ignore it over http locally).
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
};

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return { statusCode, headers: { ...baseHeaders, ...headers }, body: JSON.stringify(body) };
}

/** Largest JSON body any route accepts; bigger ones get 413 before parsing. */
export const maxBodyBytes = 16 * 1024;

function errorResponse(error: unknown): HttpResult {
  if (error instanceof HttpError) return json(error.statusCode, { error: error.message, ...error.details }, error.headers);
  if (error instanceof ValidationError) return json(400, { error: error.message, issues: error.issues });
  if (error instanceof InvalidLinkError) return json(400, { error: error.message });
  if (error instanceof RequestNotFoundError) return json(404, { error: 'No such request' });
  if (error instanceof UnknownStoreError) return json(404, { error: 'No such store' });
  if (error instanceof SignatureRefusedError) return json(401, { error: 'Missing or invalid signature' });
  if (error instanceof ConflictError) return json(409, { error: error.message });
  if (error instanceof DomainError) return json(400, { error: error.message });
  // middy's body parser errors carry statusCode and `expose`
  const status = (error as { statusCode?: number; expose?: boolean }).statusCode;
  if (status && status >= 400 && status < 500 && (error as { expose?: boolean }).expose !== false) {
    const message = status === 422 ? 'The body is not valid JSON' : status === 415 ? 'Send the body as application/json' : (error as Error).message;
    return json(status === 422 ? 400 : status, { error: message });
  }
  logger.error('Unhandled error', { error: error as Error });
  return json(500, { error: 'Something went wrong on our side. Please try again later.' });
}

/** Every answer, error or not, is JSON with the same safe headers; unexpected errors become a plain 500. */
const jsonErrors = (): middy.MiddlewareObj<HttpEvent, HttpResult> => ({
  onError: async (request) => {
    request.response = errorResponse(request.error);
  },
});

const bodyLimit = (limit: number): middy.MiddlewareObj<HttpEvent, HttpResult> => ({
  before: async (request) => {
    const body = request.event.body;
    if (typeof body === 'string') {
      const bytes = request.event.isBase64Encoded ? Math.floor((body.length * 3) / 4) : Buffer.byteLength(body);
      if (bytes > limit) throw new HttpError(413, `The body is larger than ${limit} bytes`);
    }
  },
});

const requireJsonBody = (): middy.MiddlewareObj<HttpEvent, HttpResult> => ({
  before: async (request) => {
    if (!request.event.body) throw new HttpError(400, 'A JSON body is required');
  },
});

/** Every JSON route takes an object: `null`, arrays and bare values are refused by name. */
const requireJsonObject = (): middy.MiddlewareObj<HttpEvent, HttpResult> => ({
  before: async (request) => {
    const body = request.event.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'The body must be a JSON object');
  },
});

/**
 * Wires an HTTP handler: middlewares first, handler last. With `jsonBody`, `event.body` arrives
 * parsed (wrong content type 415, broken JSON 400, too large 413).
 */
export function httpHandler(handler: (event: HttpEvent) => Promise<HttpResult>, options: { jsonBody?: boolean; maxBodyBytes?: number } = {}) {
  // Every route refuses a body over its limit (413), whether or not it reads one.
  const wired = middy<HttpEvent, HttpResult>()
    .use(jsonErrors())
    .use(httpHeaderNormalizer())
    .use(bodyLimit(options.maxBodyBytes ?? maxBodyBytes));
  if (options.jsonBody)
    wired
      .use(requireJsonBody())
      .use(httpJsonBodyParser() as middy.MiddlewareObj<HttpEvent, HttpResult>)
      .use(requireJsonObject());
  return wired.handler(async (event) => {
    logger.appendKeys({ route: event.routeKey });
    try {
      return await handler(event);
    } finally {
      logger.removeKeys(['route', 'requestId']);
    }
  });
}

export interface Officer {
  readonly id: string;
}

/**
 * The signed-in officer, from the JWT claims the gateway verified (API Gateway's JWT authorizer
 * in AWS, the local gateway's check locally). Authorization is checked here, on every route.
 */
export function requireOfficer(event: HttpEvent): Officer {
  const claims = (event.requestContext as APIGatewayProxyEventV2WithJWTAuthorizer['requestContext'] | undefined)?.authorizer?.jwt?.claims;
  if (!claims?.sub) throw new HttpError(401, 'Sign in as a privacy officer');
  const raw = claims['cognito:groups'];
  // API Gateway flattens array claims into "[a b]"; the local gateway passes arrays through.
  const groups = Array.isArray(raw)
    ? raw.map(String)
    : String(raw ?? '')
        .replace(/^\[|\]$/g, '')
        .split(/[\s,]+/);
  if (!groups.includes(officerGroup)) throw new HttpError(403, 'Only privacy officers may do this');
  return { id: String(claims.sub) };
}

export function pathParameter(event: HttpEvent, name: string): string {
  const value = event.pathParameters?.[name];
  if (!value || !/^req_[A-Za-z0-9_-]{10,64}$/.test(value)) throw new HttpError(404, 'No such request');
  return value;
}

/** Where links in emails should point: the configured public URL, or the domain this call came in on. */
export function baseUrlOf(event: HttpEvent, configured: string | undefined): string {
  if (configured) return configured.replace(/\/$/, '');
  const stage = event.requestContext.stage && event.requestContext.stage !== '$default' ? `/${event.requestContext.stage}` : '';
  return `https://${event.requestContext.domainName}${stage}`;
}
