import { describe, expect, it } from 'vitest';
import { ConflictError, ValidationError } from '../../shared/domain/errors';
import { answerSurvey, checkAnswers, isTopBox, reportingMonth, topBoxScores } from '../../shared/domain/satisfaction';

const now = new Date('2026-10-01T00:00:00.000Z');
const sent = { surveyId: 's', sentAt: '2026-09-10T00:00:00.000Z', status: 'sent' as const };

describe('satisfaction survey', () => {
  it('top box: 4 on the 1–4 items, 9 or 10 on the rating', () => {
    expect([
      isTopBox('nurses-listened', 4),
      isTopBox('nurses-listened', 3),
      isTopBox('overall-rating', 9),
      isTopBox('overall-rating', 8),
    ]).toEqual([true, false, true, false]);
  });

  it('checks every answer against its scale, and needs one', () => {
    expect(() => checkAnswers({})).toThrow(ValidationError);
    expect(() => checkAnswers({ 'overall-rating': 7.5 })).toThrow(ValidationError);
    expect(checkAnswers({ 'overall-rating': 0, 'help-when-needed': 1 })).toEqual({ 'overall-rating': 0, 'help-when-needed': 1 });
  });

  it('takes answers once, not before the survey went out nor in the future', () => {
    const answered = answerSurvey(sent, { 'overall-rating': 10 }, { answeredAt: '2026-09-20T00:00:00.000Z', channel: 'mail' }, now);
    expect(answered).toMatchObject({ status: 'answered', channel: 'mail' });
    expect(() =>
      answerSurvey(answered, { 'overall-rating': 10 }, { answeredAt: '2026-09-21T00:00:00.000Z', channel: 'mail' }, now),
    ).toThrow(ConflictError);
    expect(() => answerSurvey(sent, { 'overall-rating': 10 }, { answeredAt: '2026-09-01T00:00:00.000Z', channel: 'mail' }, now)).toThrow(
      /before it was sent/,
    );
    expect(() =>
      answerSurvey(undefined, { 'overall-rating': 10 }, { answeredAt: '2026-09-20T00:00:00.000Z', channel: 'web' }, now),
    ).toThrow(ConflictError);
  });

  it('scores per item over months, counting by discharge month', () => {
    expect(reportingMonth('2026-09-30T23:00:00.000Z')).toBe('2026-09');
    const scores = topBoxScores([
      { responses: { 'overall-rating': 3 }, topBox: { 'overall-rating': 2 } },
      { responses: { 'overall-rating': 1 }, topBox: { 'overall-rating': 1 } },
    ]);
    expect(scores.find((s) => s.item === 'overall-rating')).toEqual({ item: 'overall-rating', responses: 4, topBox: 3, topBoxPercent: 75 });
    expect(scores.find((s) => s.item === 'nurses-listened')).toEqual({
      item: 'nurses-listened',
      responses: 0,
      topBox: 0,
      topBoxPercent: null,
    });
  });
});
