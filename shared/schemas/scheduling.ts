import * as z from 'zod';
import { utcInstant as instant } from './time';
import { MAX_SLOTS_PER_REQUEST } from '../domain/scheduling';
import { fromTokenOnly } from './identity';

const who = z.string().trim().min(1).max(200);
const practitionerId = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be a practitioner id (letters, digits, . _ -)');

export const practitionerParams = z.object({ practitionerId });
export const appointmentParams = z.object({ appointmentId: z.uuid('must be an appointment id (UUID)') });

/** POST /v1/practitioners/{practitionerId}/slots */
export const publishSlotsBody = z.strictObject({
  clinic: z.string().trim().min(1).max(200),
  slots: z
    .array(z.strictObject({ start: instant, end: instant }))
    .min(1)
    .max(MAX_SLOTS_PER_REQUEST),
  publishedBy: who,
  role: fromTokenOnly,
});

/** GET /v1/practitioners/{practitionerId}/slots?from=&to=&status= */
export const listSlotsQuery = z.object({ from: instant, to: instant, status: z.enum(['free', 'booked']).optional() });

/** POST /v1/encounters/{id}/appointments */
export const bookAppointmentBody = z.strictObject({
  slotId: z.uuid('must be a slot id (UUID)'),
  reason: z.string().trim().min(1).max(500),
  bookedBy: who,
});

/** PUT /v1/appointments/{appointmentId}: move it to another free slot. */
export const rescheduleAppointmentBody = z.strictObject({ slotId: z.uuid('must be a slot id (UUID)'), by: who, role: fromTokenOnly });

/** POST /v1/appointments/{appointmentId}/cancel */
export const cancelAppointmentBody = z.strictObject({ reason: z.string().trim().min(1).max(500), by: who });
