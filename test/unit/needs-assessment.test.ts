import { describe, expect, it } from 'vitest';
import { carryDecisions, recordNeedsAssessment, suggestServices, type Finding } from '../../shared/domain/needs-assessment';

describe('service suggestions from findings (rules as data)', () => {
  it.each<[Finding[], string[]]>([
    [['no-caregiver', 'adl-dependent-bathing'], ['home-health']],
    [['no-caregiver'], []],
    [['adl-dependent-dressing', 'caregiver-available'], []],
    [['food-insecurity'], ['meals']],
    [['unsafe-home'], ['home-modification']],
    [['oxygen-dependent', 'fall-risk'], ['durable-medical-equipment']],
    [
      ['wound-care', 'caregiver-limited', 'adl-dependent-toileting', 'no-transport'],
      ['home-health', 'transportation'],
    ],
    [
      ['homeless', 'substance-use', 'cannot-afford-medications'],
      ['social-work', 'housing-assistance', 'behavioural-health'],
    ],
  ])('%j → %j', (findings, services) => {
    expect(suggestServices(findings).map((s) => s.service)).toEqual(services);
  });

  it('gives every reason that led to a service, once per service', () => {
    const [homeHealth] = suggestServices(['no-caregiver', 'adl-dependent-feeding', 'iv-therapy']);
    expect(homeHealth).toEqual({
      service: 'home-health',
      reasons: ['Dependent in daily activities without enough caregiver support', 'Skilled nursing care needed at home'],
      ruleIds: ['no-caregiver-adl', 'skilled-care-at-home'],
    });
  });

  it('keeps decisions on re-assessment for services still suggested, and drops the rest', () => {
    const now = new Date('2026-11-23T10:00:00Z');
    const first = recordNeedsAssessment(
      { nutrition: { findings: ['food-insecurity'] }, transportation: { findings: ['no-transport'] } },
      'CM',
      now,
    );
    const decided = {
      ...first,
      suggestions: first.suggestions.map((s) => ({
        ...s,
        decision: { outcome: 'rejected' as const, reason: 'Family drives', by: 'CM', at: now.toISOString() },
      })),
    };
    const again = recordNeedsAssessment({ transportation: { findings: ['no-transport'] } }, 'CM', now, decided);
    expect(again.suggestions).toEqual([
      expect.objectContaining({ service: 'transportation', decision: expect.objectContaining({ reason: 'Family drives' }) }),
    ]);
    expect(carryDecisions([], decided.suggestions)).toEqual([]);
  });

  it('keeps when an assessment documented late was done: not before the admission, not in the future', () => {
    const now = new Date('2026-11-23T10:00:00Z');
    const when = { admittedAt: '2026-11-20T08:00:00.000Z' };
    expect(recordNeedsAssessment({}, 'CM', now, undefined, { ...when, documentedAt: '2026-11-20T20:00:00.000Z' }).assessedAt).toBe(
      '2026-11-20T20:00:00.000Z',
    );
    expect(recordNeedsAssessment({}, 'CM', now, undefined, when).assessedAt).toBe(now.toISOString());
    expect(() => recordNeedsAssessment({}, 'CM', now, undefined, { ...when, documentedAt: '2026-11-20T07:00:00.000Z' })).toThrow(
      /before the admission/,
    );
    expect(() => recordNeedsAssessment({}, 'CM', now, undefined, { ...when, documentedAt: '2026-11-23T11:00:00.000Z' })).toThrow(
      /in the future/,
    );
  });
});
