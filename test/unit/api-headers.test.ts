import { describe, expect, it, vi } from 'vitest';
import { ValidationError } from '../../lambdas/domain/errors.ts';
import { HttpError, httpHandler, json, type HttpEvent, type HttpResult } from '../../lambdas/shared/http.ts';
import { logger } from '../../lambdas/shared/logger.ts';
import { httpApiEvent } from '../fixtures/api-gateway-events.ts';

const event = (body?: string): HttpEvent =>
  httpApiEvent('POST /requests', { headers: { 'content-type': 'application/json' }, body, sourceIp: '127.0.0.1', domainName: 'api.example.com' });

const hsts = 'max-age=31536000; includeSubDomains';

describe('JSON API answers', () => {
  it('send Strict-Transport-Security like the pages, on success and on every kind of error (API Gateway adds none)', async () => {
    const answers: HttpResult[] = [json(200, { ok: true })];
    const withBody = httpHandler(async () => json(202, { accepted: true }), { jsonBody: true });
    answers.push(await withBody(event('{"type":"access"}'), {} as never));
    answers.push(await withBody(event('{not json'), {} as never));
    answers.push(await withBody(event('x'.repeat(20_000)), {} as never));
    answers.push(
      await httpHandler(async () => {
        throw new ValidationError('email: required', [{ path: 'email', message: 'required' }]);
      })(event(), {} as never),
    );
    answers.push(
      await httpHandler(async () => {
        throw new HttpError(401, 'Sign in');
      })(event(), {} as never),
    );
    // The unexpected error is logged as it should be; not into the test output.
    vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    answers.push(
      await httpHandler(async () => {
        throw new Error('boom');
      })(event(), {} as never),
    );
    vi.restoreAllMocks();
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 202, 400, 413, 400, 401, 500]);
    for (const answer of answers) expect(answer.headers?.['strict-transport-security'], String(answer.statusCode)).toBe(hsts);
  });
});
