import { z } from 'zod';

const count = z.number().int().nonnegative();

/**
 * The `results` object a processor sends back, in its immediate answer or its signed callback:
 * counts, and for an access request the records it holds.
 */
export const webhookResultsSchema = z.object({
  records: z.array(z.record(z.string(), z.unknown())).optional(),
  matched: count.optional(),
  updated: count.optional(),
  deleted: count.optional(),
  anonymized: count.optional(),
  retained: count.optional(),
  remaining: count.optional(),
});

export const webhookCountSchema = count;
