import { describe, expect, it } from 'vitest';
import { errorNameOf, MailNotSentError, RequestCancelledError, RequestRejectedError, StoreUnavailableError } from '../../lambdas/domain/errors.ts';

describe('the names errors travel under', () => {
  it('keep the wire names that executions started by earlier versions catch, while they wait up to a year', () => {
    expect(new RequestCancelledError('x').name).toBe('RequestCancelled');
    expect(errorNameOf(RequestCancelledError)).toBe('RequestCancelled');
    expect(new RequestRejectedError('x').name).toBe('RequestRejected');
  });

  it('are the class names otherwise, so a Retry or Catch names the class it matches', () => {
    expect(new StoreUnavailableError('x').name).toBe('StoreUnavailableError');
    expect(errorNameOf(MailNotSentError)).toBe('MailNotSentError');
    expect(new RequestCancelledError('x')).toBeInstanceOf(RequestCancelledError);
  });
});
