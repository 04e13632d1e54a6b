import type { Recorder } from './access';
import { ConflictError, ValidationError } from './errors';
import type { RiskTier } from './risk/encounter-risk';

/**
 * Follow-up scheduling: practitioners and clinics publish slots; a visit is booked into a free
 * slot (exactly one booking wins a slot: the store makes it a conditional transaction),
 * rescheduled into another or cancelled, which frees the slot. The discharge requirement and the
 * TCM visit check read the booked visits.
 */
export const MAX_SLOTS_PER_REQUEST = 100;
export const MAX_SLOT_MINUTES = 240;

export interface Slot {
  slotId: string;
  facilityId: string;
  practitionerId: string;
  clinic: string;
  start: string;
  end: string;
  status: 'free' | 'booked';
  appointmentId?: string;
  /** The name the body gave (display only); who published it is `by`, from the token. */
  publishedBy?: string;
  by?: Recorder;
}

export type AppointmentStatus = 'booked' | 'cancelled';

export interface Appointment {
  appointmentId: string;
  facilityId: string;
  patientId: string;
  encounterId: string;
  slotId: string;
  practitionerId: string;
  clinic: string;
  start: string;
  end: string;
  reason: string;
  status: AppointmentStatus;
  /** The name the body gave (display only); who booked it is `by`, from the token. */
  bookedBy: string;
  by?: Recorder;
  bookedAt: string;
  rescheduledFrom?: string[];
  /** Each move: the name the body gave (`by`, display only) and the token that moved it (`recorder`). */
  reschedules?: Array<{ from: string; by: string; recorder: Recorder; at: string }>;
  /** `by` is the name given (or `carepath:death`); `recorder` the token that cancelled it, when a person did. */
  cancel?: { reason: string; by: string; recorder?: Recorder; at: string };
  version: number;
}

/** New slots: each within 4 hours, ending after it starts, in the future, none repeated. */
export function newSlots(
  input: {
    facilityId: string;
    practitionerId: string;
    clinic: string;
    slots: Array<{ start: string; end: string }>;
    publishedBy?: string;
    by?: Recorder;
  },
  slotIdOf: (start: string) => string,
  now: Date,
): Slot[] {
  const issues = input.slots.flatMap((slot, i) => {
    const minutes = (Date.parse(slot.end) - Date.parse(slot.start)) / 60_000;
    if (minutes <= 0) return [{ field: `slots.${i}.end`, reason: 'must be after start' }];
    if (minutes > MAX_SLOT_MINUTES) return [{ field: `slots.${i}.end`, reason: `a slot lasts at most ${MAX_SLOT_MINUTES} minutes` }];
    if (Date.parse(slot.start) < now.getTime()) return [{ field: `slots.${i}.start`, reason: 'must be in the future' }];
    return [];
  });
  if (new Set(input.slots.map((s) => s.start)).size !== input.slots.length)
    issues.push({ field: 'slots', reason: 'two slots start at the same time' });
  if (issues.length) throw new ValidationError('The slots are not valid', issues);
  return input.slots.map((slot) => ({
    slotId: slotIdOf(slot.start),
    facilityId: input.facilityId,
    practitionerId: input.practitionerId,
    clinic: input.clinic,
    start: slot.start,
    end: slot.end,
    status: 'free',
    ...(input.publishedBy ? { publishedBy: input.publishedBy } : {}),
    ...(input.by ? { by: input.by } : {}),
  }));
}

export function assertBookable(slot: Slot, now: Date): void {
  if (slot.status !== 'free') throw new ConflictError(`Slot ${slot.slotId} is already booked`);
  if (Date.parse(slot.start) < now.getTime()) throw new ConflictError(`Slot ${slot.slotId} has passed`);
}

/** The follow-up visit due after discharge: 7 days for high readmission risk, 14 otherwise (DOMAIN §2). */
export const followUpWithinDays = (tier: RiskTier | undefined) => (tier === 'high' ? 7 : 14);

/** A booked visit for this stay starting after `from` and no later than `withinDays` after it. */
export function bookedFollowUp(
  appointments: readonly Appointment[],
  encounterId: string,
  from: Date,
  withinDays: number,
): Appointment | undefined {
  const latest = from.getTime() + withinDays * 86_400_000;
  return appointments.find(
    (a) =>
      a.encounterId === encounterId &&
      a.status === 'booked' &&
      Date.parse(a.start) >= from.getTime() - 86_400_000 &&
      Date.parse(a.start) <= latest,
  );
}

/** iCalendar (RFC 5545) of a patient's booked appointments: what a patient portal or email attaches. */
export function appointmentsIcs(appointments: readonly Appointment[], now: Date): string {
  const stamp = (iso: string) => iso.replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const escapeText = (text: string) => text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
  const events = appointments
    .filter((a) => a.status === 'booked')
    .flatMap((a) => [
      'BEGIN:VEVENT',
      `UID:${a.appointmentId}@carepath`,
      `DTSTAMP:${stamp(now.toISOString())}`,
      `DTSTART:${stamp(a.start)}`,
      `DTEND:${stamp(a.end)}`,
      `SUMMARY:${escapeText(`Follow-up visit: ${a.clinic}`)}`,
      `LOCATION:${escapeText(a.clinic)}`,
      'STATUS:CONFIRMED',
      'END:VEVENT',
    ]);
  return [
    ...['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Carepath//Follow-up appointments//EN', 'CALSCALE:GREGORIAN'],
    ...events,
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}
