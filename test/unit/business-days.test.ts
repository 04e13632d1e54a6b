import { describe, expect, it } from 'vitest';
import { businessDaysAfter, usFederalHolidays } from '../../shared/domain/business-days';

describe('usFederalHolidays', () => {
  it('lists the 2026 holidays with weekend ones observed on the nearest weekday', () => {
    expect(usFederalHolidays(2026)).toEqual([
      '2026-01-01', '2026-01-19', '2026-02-16', '2026-05-25', '2026-06-19',
      '2026-07-03', // July 4th is a Saturday
      '2026-09-07', '2026-10-12', '2026-11-11', '2026-11-26', '2026-12-25',
    ]);
  });
});

describe('businessDaysAfter (TCM contact within 2 business days)', () => {
  it.each([
    ['Monday', '2026-11-16T15:00:00Z', '2026-11-18'],
    ['Thursday before a Friday', '2026-11-19T15:00:00Z', '2026-11-23'],
    ['Friday', '2026-11-20T15:00:00Z', '2026-11-24'],
    ['Tuesday before Thanksgiving', '2026-11-24T15:00:00Z', '2026-11-27'],
    ['Wednesday before Thanksgiving', '2026-11-25T15:00:00Z', '2026-11-30'],
    ["New Year's Eve, across the year end", '2026-12-31T15:00:00Z', '2027-01-05'],
  ])('discharged %s (%s) → due end of %s', (_label, dischargedAt, dueDate) => {
    const due = businessDaysAfter(new Date(dischargedAt), 2);
    expect(due.toISOString()).toBe(`${dueDate}T23:59:59.999Z`);
  });

  it('counts extra site holidays', () => {
    expect(businessDaysAfter(new Date('2026-11-16T10:00:00Z'), 2, ['2026-11-17']).toISOString()).toBe('2026-11-19T23:59:59.999Z');
  });
});
