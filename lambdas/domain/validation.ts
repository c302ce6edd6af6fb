import type { z } from 'zod';
import { ValidationError } from './errors.ts';

/** Each problem zod found, as `{ path, message }` a caller can act on; `(body)` for the body itself. */
export function issuesOf(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.map((issue) => ({
    path: issue.path.join('.') || '(body)',
    message: issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
  }));
}

/** A ValidationError (HTTP 400) naming every problem. */
export function validationErrorFrom(error: z.ZodError, prefix = ''): ValidationError {
  const issues = issuesOf(error);
  return new ValidationError(`${prefix}${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`, issues);
}
