import { describe, expect, it } from 'vitest';
import { businessDaysAfter, usFederalHolidays } from '../../shared/domain/business-days';

describe('usFederalHolidays', () => {
  it('lists the 2026 holidays with weekend ones observed on the nearest weekday', () => {
    expect(usFederalHolidays(2026)).toEqual([
      '2026-01-01',
      '2026-01-19',
      '2026-02-16',
      '2026-05-25',
      '2026-06-19',
      '2026-07-03', // July 4th is a Saturday
      '2026-09-07',
      '2026-10-12',
      '2026-11-11',
      '2026-11-26',
      '2026-12-25',
    ]);
  });
});

describe('businessDaysAfter (TCM contact within 2 business days), in UTC', () => {
  it.each([
    ['Monday', '2026-11-16T15:00:00Z', '2026-11-18'],
    ['Thursday before a Friday', '2026-11-19T15:00:00Z', '2026-11-23'],
    ['Friday', '2026-11-20T15:00:00Z', '2026-11-24'],
    ['Tuesday before Thanksgiving', '2026-11-24T15:00:00Z', '2026-11-27'],
    ['Wednesday before Thanksgiving', '2026-11-25T15:00:00Z', '2026-11-30'],
    ["New Year's Eve, across the year end", '2026-12-31T15:00:00Z', '2027-01-05'],
  ])('discharged %s (%s) → due end of %s', (_label, dischargedAt, dueDate) => {
    const due = businessDaysAfter(new Date(dischargedAt), 2, 'UTC');
    expect(due.toISOString()).toBe(`${dueDate}T23:59:59.999Z`);
  });

  it('counts extra site holidays', () => {
    expect(businessDaysAfter(new Date('2026-11-16T10:00:00Z'), 2, 'UTC', ['2026-11-17']).toISOString()).toBe('2026-11-19T23:59:59.999Z');
  });
});

describe("businessDaysAfter on the facility's local days", () => {
  it.each([
    // The discharge's local day counts from, and the deadline is the end of a local day (its offset that day).
    ['Los Angeles, Wednesday 23:15 PST (Thursday in UTC)', 'America/Los_Angeles', '2026-12-03T07:15:00Z', '2026-12-05T07:59:59.999Z'],
    [
      'Chicago, Friday 22:00 CST before spring-forward; due Tuesday end in CDT',
      'America/Chicago',
      '2027-03-13T04:00:00Z',
      '2027-03-17T04:59:59.999Z',
    ],
    [
      'New York, Thursday 21:00 EDT before fall-back (Friday in UTC); due Monday end in EST',
      'America/New_York',
      '2026-10-30T01:00:00Z',
      '2026-11-03T04:59:59.999Z',
    ],
    [
      'London, Friday 00:30 BST (Thursday in UTC) before the clocks go back; due Tuesday end in GMT',
      'Europe/London',
      '2026-10-22T23:30:00Z',
      '2026-10-27T23:59:59.999Z',
    ],
    [
      'Sydney, Friday 08:00 AEST (Thursday in UTC) before daylight time; due Tuesday end in AEDT',
      'Australia/Sydney',
      '2026-10-01T22:00:00Z',
      '2026-10-06T12:59:59.999Z',
    ],
  ])('%s', (_label, zone, dischargedAt, due) => {
    expect(businessDaysAfter(new Date(dischargedAt), 2, zone).toISOString()).toBe(due);
  });

  it('reads holidays as local dates', () => {
    // Chicago, Friday 22:00 CST; the facility closes Monday 15 March: Tuesday and Wednesday count.
    expect(businessDaysAfter(new Date('2027-03-13T04:00:00Z'), 2, 'America/Chicago', ['2027-03-15']).toISOString()).toBe(
      '2027-03-18T04:59:59.999Z',
    );
  });

  it('lets a discharge in the small hours belong to its local day, not the previous UTC one', () => {
    // Sydney Monday 2027-02-01 06:00 AEDT is Sunday 19:00 UTC: Tuesday and Wednesday count.
    expect(businessDaysAfter(new Date('2027-01-31T19:00:00Z'), 2, 'Australia/Sydney').toISOString()).toBe('2027-02-03T12:59:59.999Z');
  });
});
