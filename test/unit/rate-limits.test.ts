import { afterEach, describe, expect, it } from 'vitest';
import { answerNoSoonerThan, submissionAnswerFloor } from '../../lambdas/shared/rate-limits.ts';

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
    expect(submissionAnswerFloor()).toBe(400);
    process.env.SUBMISSION_ANSWER_FLOOR_MS = '0';
    expect(submissionAnswerFloor()).toBe(0);
    process.env.SUBMISSION_ANSWER_FLOOR_MS = '750';
    expect(submissionAnswerFloor()).toBe(750);
    // A typo is a deployment bug, not a reason to fall back quietly.
    process.env.SUBMISSION_ANSWER_FLOOR_MS = 'soon';
    expect(() => submissionAnswerFloor()).toThrow('Environment variable SUBMISSION_ANSWER_FLOOR_MS must be a whole number, 0 or more (got "soon")');
  });
});
