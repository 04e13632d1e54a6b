import { describe, expect, it } from 'vitest';
import { judgeExecutionAges } from '../../shared/domain/stuck-executions';

const NOW = new Date('2026-12-03T09:00:00Z');
const startedDaysAgo = (days: number) => ({ startDate: new Date(NOW.getTime() - days * 86_400_000) });
const DAY = 86_400;

describe('judging running executions by age', () => {
  it.each([
    ['none running', [], 7 * DAY, { oldestAgeSeconds: 0, overLimit: 0, running: 0 }],
    ['all within the limit', [startedDaysAgo(1), startedDaysAgo(6.5)], 7 * DAY, { oldestAgeSeconds: 6.5 * DAY, overLimit: 0, running: 2 }],
    ['exactly at the limit is not over it', [startedDaysAgo(7)], 7 * DAY, { oldestAgeSeconds: 7 * DAY, overLimit: 0, running: 1 }],
    [
      'two past the limit',
      [startedDaysAgo(8), startedDaysAgo(1), startedDaysAgo(30)],
      7 * DAY,
      { oldestAgeSeconds: 30 * DAY, overLimit: 2, running: 3 },
    ],
    // A start date a little ahead of this clock (skew) is age 0, never negative.
    ['a start just after now', [{ startDate: new Date(NOW.getTime() + 500) }], 7 * DAY, { oldestAgeSeconds: 0, overLimit: 0, running: 1 }],
  ])('%s', (_, running, limit, expected) => {
    expect(judgeExecutionAges(running, limit, NOW)).toEqual(expected);
  });
});
