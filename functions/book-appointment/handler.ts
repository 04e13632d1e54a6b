import { ConflictError, NotFoundError } from '../../shared/domain/errors';
import { assertBookable, type Appointment } from '../../shared/domain/scheduling';
import { recorderOf, visibleTo } from '../../shared/http/caller';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { stableId } from '../../shared/ids';
import { encounterParams } from '../../shared/schemas/encounter';
import { bookAppointmentBody } from '../../shared/schemas/scheduling';
import { encounterFor } from '../../shared/care/access/visible-records';

/**
 * POST /v1/encounters/{id}/appointments: books a follow-up visit into a free slot. Of any number
 * of requests for one slot exactly one wins (201); the others get 409. The same booking sent
 * again (a retry) answers 200 with the appointment it made.
 */
export const handler = httpRoute({ params: encounterParams, body: bookAppointmentBody }, async ({ params, body, caller, ports }) => {
  const encounter = await encounterFor(ports, caller, params.id);
  const { schedule } = ports;
  const slot = visibleTo(caller, await schedule.getSlot(body.slotId), () => new NotFoundError(`Slot ${body.slotId} not found`));
  const appointmentId = stableId(slot.slotId, encounter.encounterId);
  if (slot.appointmentId === appointmentId) return json(200, await schedule.mustGetAppointment(appointmentId));
  const now = ports.now();
  assertBookable(slot, now);
  // A death cancels the patient's future visits (DTH-3); none is booked afterwards.
  if ((await ports.patients.get(encounter.patientId))?.deceased)
    throw new ConflictError('The patient has died: no visit is booked for them');
  const appointment: Appointment = {
    appointmentId,
    facilityId: encounter.facilityId,
    patientId: encounter.patientId,
    encounterId: encounter.encounterId,
    slotId: slot.slotId,
    practitionerId: slot.practitionerId,
    clinic: slot.clinic,
    start: slot.start,
    end: slot.end,
    reason: body.reason,
    status: 'booked',
    bookedBy: body.bookedBy,
    by: recorderOf(caller),
    bookedAt: now.toISOString(),
    version: 1,
  };
  try {
    await schedule.book(appointment);
  } catch (error) {
    // Lost the race: unless the winner was this very booking (a retry racing itself).
    if (error instanceof ConflictError && (await schedule.getSlot(slot.slotId))?.appointmentId === appointmentId) {
      return json(200, await schedule.mustGetAppointment(appointmentId));
    }
    throw error;
  }
  return json(201, appointment, { location: `/v1/appointments/${appointmentId}` });
});
