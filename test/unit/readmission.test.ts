import { describe, expect, it } from 'vitest';
import { findReadmission } from '../../shared/domain/readmission';
import { screenAtAdmission } from '../../shared/domain/screening';

const stay = (encounterId: string, dischargedAt: string | undefined, extra: Record<string, unknown> = {}) => ({
  encounterId,
  class: 'inpatient' as const,
  ...(dischargedAt ? { discharge: { disposition: 'home' as const, dischargedAt } } : {}),
  ...extra,
});
const admission = (admittedAt: string, admissionType: 'emergency' | 'elective' = 'emergency') => ({ encounterId: 'new', admittedAt, admissionType });

describe('readmission within 30 days', () => {
  it('links an admission on day 12 to the index stay', () => {
    expect(findReadmission(admission('2026-11-17T10:00:00Z'), [stay('index', '2026-11-05T09:00:00Z')])).toEqual({
      indexEncounterId: 'index',
      indexDischargedAt: '2026-11-05T09:00:00Z',
      daysSinceDischarge: 12,
      planned: false,
    });
  });

  it.each([
    ['on day 30', '2026-12-05T09:00:00Z', true],
    ['after day 30', '2026-12-05T09:00:01Z', false],
  ])('counts an admission %s: %s', (_label, admittedAt, counted) => {
    expect(!!findReadmission(admission(admittedAt), [stay('index', '2026-11-05T09:00:00Z')])).toBe(counted);
  });

  it('takes the latest discharge, ignores deaths, outpatient visits, stays still open and itself', () => {
    const earlier = [
      stay('older', '2026-11-01T09:00:00Z'),
      stay('latest', '2026-11-10T09:00:00Z'),
      stay('died', '2026-11-12T09:00:00Z', { discharge: { disposition: 'expired', dischargedAt: '2026-11-12T09:00:00Z' } }),
      stay('clinic', '2026-11-13T09:00:00Z', { class: 'outpatient' }),
      stay('open', undefined),
      stay('new', '2026-11-14T09:00:00Z'),
    ];
    expect(findReadmission(admission('2026-11-15T10:00:00Z'), earlier)?.indexEncounterId).toBe('latest');
  });

  it('marks an elective admission as planned (excluded from the measure, no screening reason)', () => {
    const planned = findReadmission(admission('2026-11-17T10:00:00Z', 'elective'), [stay('index', '2026-11-05T09:00:00Z')]);
    expect(planned?.planned).toBe(true);
    const screened = screenAtAdmission({ birthDate: '1990-01-01', admittedAt: '2026-11-17T10:00:00Z', admissionType: 'elective', unplannedReadmission: false }, new Date());
    expect(screened).toMatchObject({ screenedIn: false, reasons: [] });
    expect(screenAtAdmission({ birthDate: '1990-01-01', admittedAt: '2026-11-17T10:00:00Z', admissionType: 'elective', unplannedReadmission: true }, new Date())).toMatchObject({
      screenedIn: true,
      priority: 'urgent',
      reasons: ['readmitted within 30 days of a discharge'],
    });
  });
});
