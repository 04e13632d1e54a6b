import { describe, expect, it } from 'vitest';
import { ageOn } from '../../shared/domain/encounter';
import { screenAtAdmission } from '../../shared/domain/screening';

const now = new Date('2026-11-20T09:00:00Z');

describe('ageOn', () => {
  it.each([
    ['1961-11-20', '2026-11-20T00:00:00Z', 65],
    ['1961-11-21', '2026-11-20T23:59:59Z', 64],
    ['2000-02-29', '2026-02-28T12:00:00Z', 25],
    ['2000-02-29', '2026-03-01T00:00:00Z', 26],
  ])('born %s is %i on %s', (birth, on, age) => {
    expect(ageOn(birth, on)).toBe(age);
  });
});

describe('screenAtAdmission', () => {
  it('screens in an older adult admitted as an emergency, urgent and due in 24 h', () => {
    const result = screenAtAdmission({ birthDate: '1950-02-03', admittedAt: '2026-11-20T08:00:00Z', admissionType: 'emergency' }, now);
    expect(result).toEqual({
      screenedIn: true,
      reasons: ['age 65 or older', 'emergency admission'],
      priority: 'urgent',
      assessmentDueWithinHours: 24,
      screenedAt: now.toISOString(),
    });
  });

  it('gives a younger elective admission a routine assessment within 48 h', () => {
    const result = screenAtAdmission({ birthDate: '1990-05-01', admittedAt: '2026-11-20T08:00:00Z', admissionType: 'elective' }, now);
    expect(result.screenedIn).toBe(false);
    expect(result.priority).toBe('routine');
    expect(result.assessmentDueWithinHours).toBe(48);
  });

  it('turns 65 on the admission day: screened in', () => {
    const result = screenAtAdmission({ birthDate: '1961-11-20', admittedAt: '2026-11-20T08:00:00Z', admissionType: 'elective' }, now);
    expect(result.reasons).toEqual(['age 65 or older']);
  });
});
