import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lambdas/domain/errors.ts';
import { parseSubmission } from '../../lambdas/domain/submission.ts';

const issuesOf = (input: unknown) => {
  try {
    parseSubmission(input);
  } catch (error) {
    if (error instanceof ValidationError) return error.issues;
    throw error;
  }
  throw new Error('expected a validation error');
};

describe('a submission', () => {
  it('accepts an access request with just an email', () => {
    const submission = parseSubmission({ type: 'access', email: 'jane.doe@example.com' });
    expect(submission.type).toBe('access');
    expect(submission.email.canonical).toBe('jane.doe@example.com');
  });

  it('accepts an amendment with corrections of documented fields', () => {
    const submission = parseSubmission({ type: 'amend', email: 'jane.doe@example.com', corrections: [{ field: 'phone', value: ' +44 20 7946 0000 ' }] });
    expect(submission.corrections).toEqual([{ field: 'phone', value: '+44 20 7946 0000' }]);
  });

  it('names an unknown correction field', () => {
    expect(issuesOf({ type: 'amend', email: 'jane.doe@example.com', corrections: [{ field: 'salary', value: '1' }] })).toEqual([
      expect.objectContaining({ path: 'corrections.0.field', message: expect.stringContaining('name, phone, address, company, jobTitle') }),
    ]);
    expect(issuesOf({ type: 'amend', email: 'jane.doe@example.com', corrections: [{ field: 'salary', value: '1' }] })[0]!.message).toContain('"salary"');
    expect(issuesOf({ type: 'amend', email: 'jane.doe@example.com', corrections: [{ value: '1' }] })[0]!.message).toMatch(/^field is required/);
  });

  it('needs at least one correction for an amendment, and none otherwise', () => {
    expect(issuesOf({ type: 'amend', email: 'jane.doe@example.com' })[0]!.path).toBe('corrections');
    expect(issuesOf({ type: 'delete', email: 'jane.doe@example.com', corrections: [{ field: 'name', value: 'J' }] })[0]!.path).toBe('corrections');
  });

  it('refuses the same field corrected twice', () => {
    expect(
      issuesOf({
        type: 'amend',
        email: 'jane.doe@example.com',
        corrections: [
          { field: 'name', value: 'A' },
          { field: 'name', value: 'B' },
        ],
      })[0]!.message,
    ).toMatch(/twice/);
  });

  it('names unknown fields, so typos surface', () => {
    expect(issuesOf({ type: 'access', email: 'jane.doe@example.com', emial: 'x' })[0]!.message).toMatch(/emial/);
  });

  it('names a missing or unknown type and a bad email', () => {
    expect(issuesOf({ email: 'jane.doe@example.com' })[0]!.path).toBe('type');
    expect(issuesOf({ type: 'sell', email: 'jane.doe@example.com' })[0]!.path).toBe('type');
    expect(issuesOf({ type: 'access', email: 'nope' })[0]!.path).toBe('email');
    expect(issuesOf('a string')[0]!.path).toBe('(body)');
  });
});
