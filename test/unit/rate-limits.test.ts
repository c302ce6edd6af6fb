import { afterEach, describe, expect, it } from 'vitest';
import { answerNoSoonerThan, rateLimits } from '../../lambdas/shared/rate-limits.ts';

describe('the submission answer floor', () => {
  afterEach(() => {
    delete process.env.SUBMISSION_ANSWER_FLOOR_MS;
  });

  it('waits out what is left of the floor, and nothing once it has passed', async () => {
    const waits: number[] = [];
    const sleep = async (ms: number) => {
      waits.push(ms);
    };
    await answerNoSoonerThan(1_000, 400, () => 1_150, sleep);
    await answerNoSoonerThan(1_000, 400, () => 1_400, sleep);
    await answerNoSoonerThan(1_000, 400, () => 1_900, sleep);
    expect(waits).toEqual([250]);
  });

  it('is 400 ms unless the operator sets another, 0 turning it off', () => {
    expect(rateLimits.submissionAnswerFloorMs).toBe(400);
    process.env.SUBMISSION_ANSWER_FLOOR_MS = '0';
    expect(rateLimits.submissionAnswerFloorMs).toBe(0);
    process.env.SUBMISSION_ANSWER_FLOOR_MS = '750';
    expect(rateLimits.submissionAnswerFloorMs).toBe(750);
    process.env.SUBMISSION_ANSWER_FLOOR_MS = 'soon';
    expect(rateLimits.submissionAnswerFloorMs).toBe(400);
  });
});
