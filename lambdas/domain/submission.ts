import { z } from 'zod';
import { isJurisdiction, jurisdictions, type Jurisdiction } from './deadline.ts';
import { InvalidEmailError, parseEmailAddress, type EmailAddress } from './email-address.ts';
import { ValidationError } from './errors.ts';
import { maxQuotedLength, unsafeCharacterIn } from './untrusted-text.ts';
import { validationErrorFrom } from './validation.ts';
import { correctableFields, requestTypes, type Correction, type RequestType } from './request.ts';

/** What a requester may send to `POST /requests`. Unknown keys are refused, so typos surface. */
const submissionSchema = z
  .object({
    type: z.enum(requestTypes, { error: `type must be one of: ${requestTypes.join(', ')}` }),
    email: z.string({ error: 'email is required' }).max(320, 'email is too long'),
    corrections: z
      .array(
        z.strictObject({
          field: z.enum(correctableFields, {
            // Names what was sent, so a requester (or a client's developer) sees which field is unknown.
            error: (issue) =>
              `field ${issue.input === undefined ? 'is required' : typeof issue.input === 'string' ? `"${issue.input.slice(0, 40)}" is not one we can correct` : `must be text, not ${issue.input === null ? 'null' : typeof issue.input}`}; it must be one of: ${correctableFields.join(', ')}`,
          }),
          value: z
            .string()
            .trim()
            .min(1, 'a correction needs a new value')
            .max(maxQuotedLength, `a corrected value has at most ${maxQuotedLength} characters`)
            // Every correctable field is one line of visible text; the value is later quoted to recipients and processors.
            .superRefine((value, context) => {
              const unsafe = unsafeCharacterIn(value);
              if (unsafe)
                context.addIssue({ code: 'custom', message: `contains ${unsafe}; type the value on one line, without control or invisible characters` });
            }),
        }),
      )
      .max(correctableFields.length, `at most ${correctableFields.length} corrections`)
      .optional(),
    jurisdiction: z
      .string()
      .refine(isJurisdiction, { message: `jurisdiction must be one of: ${jurisdictions.join(', ')}` })
      .optional(),
    locale: z
      .string()
      .regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'locale looks like en or en-GB')
      .optional(),
  })
  .strict();

export interface Submission {
  readonly type: RequestType;
  readonly email: EmailAddress;
  readonly corrections?: readonly Correction[];
  readonly jurisdiction?: Jurisdiction;
  readonly locale?: string;
}

/** Validates a submission and returns it with the email parsed, or throws a ValidationError naming each problem. */
export function parseSubmission(input: unknown): Submission {
  const result = submissionSchema.safeParse(input);
  if (!result.success) throw validationErrorFrom(result.error);
  const data = result.data;
  let email: EmailAddress;
  try {
    email = parseEmailAddress(data.email);
  } catch (error) {
    if (error instanceof InvalidEmailError) throw new ValidationError(`email: ${error.message}`, [{ path: 'email', message: error.message }]);
    throw error;
  }
  if (data.type === 'amend') {
    if (!data.corrections?.length) {
      throw new ValidationError('corrections: an amendment needs at least one correction', [
        { path: 'corrections', message: 'an amendment needs at least one correction' },
      ]);
    }
    const fields = data.corrections.map((correction) => correction.field);
    const repeated = fields.find((field, index) => fields.indexOf(field) !== index);
    const newEmail = data.corrections.find((correction) => correction.field === 'email');
    if (newEmail) {
      try {
        parseEmailAddress(newEmail.value);
      } catch (error) {
        if (error instanceof InvalidEmailError)
          throw new ValidationError(`corrections: the new email address: ${error.message}`, [
            { path: 'corrections', message: `the new email address: ${error.message}` },
          ]);
        throw error;
      }
    }
    if (repeated) throw new ValidationError(`corrections: ${repeated} appears twice`, [{ path: 'corrections', message: `${repeated} appears twice` }]);
  } else if (data.corrections !== undefined) {
    throw new ValidationError('corrections: only an amend request carries corrections', [
      { path: 'corrections', message: 'only an amend request carries corrections' },
    ]);
  }
  return {
    type: data.type,
    email,
    ...(data.corrections ? { corrections: data.corrections } : {}),
    ...(data.jurisdiction ? { jurisdiction: data.jurisdiction as Jurisdiction } : {}),
    ...(data.locale ? { locale: data.locale } : {}),
  };
}
