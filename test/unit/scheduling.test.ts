import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../shared/domain/errors';
import {
  appointmentsIcs,
  assertBookable,
  bookedFollowUp,
  followUpWithinDays,
  newSlots,
  type Appointment,
} from '../../shared/domain/scheduling';

const now = new Date('2026-11-24T10:00:00.000Z');
const appointment = (start: string, over: Partial<Appointment> = {}): Appointment => ({
  appointmentId: 'a1',
  facilityId: 'F1',
  patientId: 'p',
  encounterId: 'e',
  slotId: 's',
  practitionerId: 'dr',
  clinic: 'Heart, Failure; Clinic',
  start,
  end: start,
  reason: 'r',
  status: 'booked',
  bookedBy: 'cm',
  bookedAt: now.toISOString(),
  version: 1,
  ...over,
});

describe('scheduling', () => {
  it('requires the visit within 7 days for high risk, 14 otherwise', () => {
    expect([followUpWithinDays('high'), followUpWithinDays('moderate'), followUpWithinDays(undefined)]).toEqual([7, 14, 14]);
    expect(bookedFollowUp([appointment('2026-12-01T10:00:00.000Z')], 'e', now, 7)).toBeDefined();
    expect(bookedFollowUp([appointment('2026-12-02T10:00:00.000Z')], 'e', now, 7)).toBeUndefined();
    expect(bookedFollowUp([appointment('2026-12-01T10:00:00.000Z', { status: 'cancelled' })], 'e', now, 14)).toBeUndefined();
  });

  it('refuses a booked or past slot', () => {
    const slot = {
      slotId: 's',
      facilityId: 'F1',
      practitionerId: 'dr',
      clinic: 'c',
      start: '2026-11-25T10:00:00.000Z',
      end: '2026-11-25T10:30:00.000Z',
      status: 'free' as const,
    };
    expect(() => assertBookable(slot, now)).not.toThrow();
    expect(() => assertBookable({ ...slot, status: 'booked' }, now)).toThrow(ConflictError);
    expect(() => assertBookable(slot, new Date('2026-11-26T00:00:00.000Z'))).toThrow(/passed/);
  });

  it('writes RFC 5545: CRLF lines, UTC stamps, escaped text, booked visits only', () => {
    const ics = appointmentsIcs(
      [appointment('2026-12-01T10:00:00.000Z'), appointment('2026-12-02T10:00:00.000Z', { appointmentId: 'a2', status: 'cancelled' })],
      now,
    );
    expect(ics.split('\r\n')).toEqual(
      expect.arrayContaining([
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'DTSTART:20261201T100000Z',
        'LOCATION:Heart\\, Failure\\; Clinic',
        'END:VCALENDAR',
      ]),
    );
    expect(ics).not.toContain('a2@carepath');
  });
  it('a published slot keeps the name given beside the token that published it', () => {
    const by = { who: 'client-sched/ps-lee', roles: ['patient-services' as const] };
    const [slot] = newSlots(
      {
        facilityId: 'F1',
        practitionerId: 'dr',
        clinic: 'c',
        slots: [{ start: '2026-11-30T09:00:00.000Z', end: '2026-11-30T09:20:00.000Z' }],
        publishedBy: 'Front desk',
        by,
      },
      () => 's1',
      now,
    );
    expect(slot).toMatchObject({ slotId: 's1', status: 'free', publishedBy: 'Front desk', by });
  });
});
