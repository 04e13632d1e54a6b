import { describe, expect, it } from 'vitest';
import { addMonths, endOfLocalDay, instantOfLocal, localDate, startOfLocalDay } from '../../shared/domain/clock';
import { hl7TimeToIso, isoToHl7Time } from '../../shared/domain/adt/hl7-time';
import { lengthOfStayDays } from '../../shared/domain/length-of-stay';

const wall = (iso: string) => Date.parse(`${iso}Z`);
const local = (iso: string, zone: string) => new Date(instantOfLocal(wall(iso), zone)).toISOString();

describe('local wall-clock times to instants (RFC 5545 §3.3.5)', () => {
  it.each([
    ['an ordinary winter time', '2026-12-02T23:15:00', 'America/Los_Angeles', '2026-12-03T07:15:00.000Z'],
    ['New York spring-forward gap 02:30 → 03:30 EDT', '2026-03-08T02:30:00', 'America/New_York', '2026-03-08T07:30:00.000Z'],
    ['New York fall-back 01:30 → its first occurrence (EDT)', '2026-11-01T01:30:00', 'America/New_York', '2026-11-01T05:30:00.000Z'],
    ['London gap 01:30 → 02:30 BST', '2026-03-29T01:30:00', 'Europe/London', '2026-03-29T01:30:00.000Z'],
    ['London fall-back 01:30 → first (BST)', '2026-10-25T01:30:00', 'Europe/London', '2026-10-25T00:30:00.000Z'],
    ['Sydney gap 02:30 → 03:30 AEDT', '2026-10-04T02:30:00', 'Australia/Sydney', '2026-10-03T16:30:00.000Z'],
    ['Sydney fall-back 02:30 → first (AEDT)', '2027-04-04T02:30:00', 'Australia/Sydney', '2027-04-03T15:30:00.000Z'],
  ])('%s', (_label, wallClock, zone, instant) => {
    expect(local(wallClock, zone)).toBe(instant);
  });

  it('gives DST days their real length: 23 h in spring, 25 h in autumn', () => {
    expect(startOfLocalDay('2026-03-08', 'America/New_York').toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(endOfLocalDay('2026-03-08', 'America/New_York').toISOString()).toBe('2026-03-09T03:59:59.999Z');
    expect(endOfLocalDay('2026-10-25', 'Europe/London').getTime() + 1 - startOfLocalDay('2026-10-25', 'Europe/London').getTime()).toBe(
      25 * 3_600_000,
    );
  });

  it('names the local date of an instant', () => {
    expect(localDate('2026-10-01T22:00:00Z', 'Australia/Sydney')).toBe('2026-10-02');
    expect(localDate('2026-11-01T04:30:00Z', 'America/Chicago')).toBe('2026-10-31');
  });

  it('steps back months, clamped to the month end', () => {
    expect(addMonths('2026-08-31', -6)).toBe('2026-02-28');
    expect(addMonths('2028-08-31', -6)).toBe('2028-02-29');
    expect(addMonths('2027-01-15', -12)).toBe('2026-01-15');
  });
});

describe('HL7 times without an offset are the facility’s local time', () => {
  it.each([
    ['20261202231500', 'America/Los_Angeles', '2026-12-03T07:15:00.000Z'],
    ['20260308023000', 'America/New_York', '2026-03-08T07:30:00.000Z'],
    ['202611010130', 'America/New_York', '2026-11-01T05:30:00.000Z'],
    ['20270404023000', 'Australia/Sydney', '2027-04-03T15:30:00.000Z'],
    ['20260715', 'Europe/London', '2026-07-14T23:00:00.000Z'],
  ])('%s in %s is %s', (text, zone, iso) => {
    expect(hl7TimeToIso(text, zone)).toBe(iso);
  });

  it('takes an offset as given (the second 01:30 of a fall-back night is -0500)', () => {
    expect(hl7TimeToIso('202611010130-0500', 'America/New_York')).toBe('2026-11-01T06:30:00.000Z');
    expect(hl7TimeToIso('20261202231500+0000', 'America/Los_Angeles')).toBe('2026-12-02T23:15:00.000Z');
  });

  it('refuses impossible calendar values in any zone', () => {
    expect(hl7TimeToIso('20261301', 'Europe/London')).toBeUndefined();
    expect(hl7TimeToIso('20260230', 'America/New_York')).toBeUndefined();
  });

  it('writes its own times with +0000 so no receiver reads them as local', () => {
    expect(isoToHl7Time('2026-12-03T07:15:09.123Z')).toBe('20261203071509+0000');
  });
});

describe('length of stay: midnights between local dates (one definition)', () => {
  it.each([
    ['same local day: 0, LACE "<1 day"', '2026-12-02T15:00:00Z', '2026-12-03T03:00:00Z', 'America/Chicago', 0],
    ['23:30 to 00:30 next local day: 1', '2026-11-01T03:30:00Z', '2026-11-01T04:30:00Z', 'America/New_York', 1],
    ['across fall-back, three midnights', '2026-10-23T10:00:00Z', '2026-10-26T10:00:00Z', 'Europe/London', 3],
    ['evening admission in Sydney is the next UTC day already', '2026-10-01T09:00:00Z', '2026-10-02T01:00:00Z', 'Australia/Sydney', 1],
  ])('%s', (_label, admittedAt, dischargedAt, zone, days) => {
    expect(lengthOfStayDays(admittedAt, dischargedAt, zone)).toBe(days);
  });
});
