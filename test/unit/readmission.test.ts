import { describe, expect, it } from 'vitest';
import { findReadmission } from '../../shared/domain/readmission';
import { screenAtAdmission } from '../../shared/domain/screening';

const stay = (encounterId: string, dischargedAt: string | undefined, extra: Record<string, unknown> = {}) => ({
  encounterId,
  class: 'inpatient' as const,
  ...(dischargedAt ? { discharge: { disposition: 'home' as const, dischargedAt } } : {}),
  ...extra,
});
const admission = (admittedAt: string, admissionType: 'emergency' | 'elective' = 'emergency') => ({
  encounterId: 'new',
  admittedAt,
  admissionType,
});

describe('readmission within 30 days', () => {
  it('links an admission on day 12 to the index stay', () => {
    expect(findReadmission(admission('2026-11-17T10:00:00Z'), [stay('index', '2026-11-05T09:00:00Z')], 'UTC')).toEqual({
      indexEncounterId: 'index',
      indexDischargedAt: '2026-11-05T09:00:00Z',
      daysSinceDischarge: 12,
      planned: false,
    });
  });

  // HRRP counts days from the discharge date: day 30 is the whole local day, not 30 × 24 h.
  it.each([
    ['late on day 30', '2026-12-05T23:00:00Z', 'UTC', true],
    ['early on day 31', '2026-12-06T00:30:00Z', 'UTC', false],
    // 19:30 on 5 December in Chicago is 01:30Z on the 6th: still day 30 there.
    ['on day 30 in Chicago, the 6th in UTC', '2026-12-06T01:30:00Z', 'America/Chicago', true],
    // 00:30 on 6 December in Sydney is 13:30Z on the 5th, and the discharge (09:00Z) was 20:00 on the 5th of November there.
    ['on day 31 in Sydney, the 5th in UTC', '2026-12-05T13:30:00Z', 'Australia/Sydney', false],
  ])('counts an admission %s: %s (%s)', (_label, admittedAt, timeZone, counted) => {
    expect(!!findReadmission(admission(admittedAt), [stay('index', '2026-11-05T09:00:00Z')], timeZone)).toBe(counted);
  });

  it('gives the days since discharge in local dates: 20:00 discharge, 08:00 admission next morning is day 1', () => {
    const readmission = findReadmission(admission('2026-11-06T13:00:00Z'), [stay('index', '2026-11-06T01:00:00Z')], 'America/New_York');
    expect(readmission?.daysSinceDischarge).toBe(1);
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
    expect(findReadmission(admission('2026-11-15T10:00:00Z'), earlier, 'UTC')?.indexEncounterId).toBe('latest');
  });

  it('marks an elective admission as planned (excluded from the measure, no screening reason)', () => {
    const planned = findReadmission(admission('2026-11-17T10:00:00Z', 'elective'), [stay('index', '2026-11-05T09:00:00Z')], 'UTC');
    expect(planned?.planned).toBe(true);
    const screened = screenAtAdmission(
      { birthDate: '1990-01-01', admittedAt: '2026-11-17T10:00:00Z', admissionType: 'elective', unplannedReadmission: false },
      new Date(),
    );
    expect(screened).toMatchObject({ screenedIn: false, reasons: [] });
    expect(
      screenAtAdmission(
        { birthDate: '1990-01-01', admittedAt: '2026-11-17T10:00:00Z', admissionType: 'elective', unplannedReadmission: true },
        new Date(),
      ),
    ).toMatchObject({
      screenedIn: true,
      priority: 'urgent',
      reasons: ['readmitted within 30 days of a discharge'],
    });
  });
});
