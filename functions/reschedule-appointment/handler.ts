import { ConflictError, NotFoundError } from '../../shared/domain/errors';
import { assertBookable } from '../../shared/domain/scheduling';
import { recorderOf, visibleTo } from '../../shared/http/caller';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { appointmentParams, rescheduleAppointmentBody } from '../../shared/schemas/scheduling';

/** PUT /v1/appointments/{appointmentId}: moves a booked visit to another free slot; the old slot is freed in the same write. */
export const handler = httpRoute(
  { params: appointmentParams, body: rescheduleAppointmentBody },
  async ({ params, body, caller, ports }) => {
    const { schedule } = ports;
    const current = visibleTo(
      caller,
      await schedule.getAppointment(params.appointmentId),
      () => new NotFoundError(`Appointment ${params.appointmentId} not found`),
    );
    if (current.status !== 'booked') throw new ConflictError(`Appointment ${current.appointmentId} is ${current.status}`);
    if (current.slotId === body.slotId) return json(200, current);
    const slot = visibleTo(caller, await schedule.getSlot(body.slotId), () => new NotFoundError(`Slot ${body.slotId} not found`));
    const now = ports.now();
    assertBookable(slot, now);
    const next = {
      ...current,
      slotId: slot.slotId,
      practitionerId: slot.practitionerId,
      clinic: slot.clinic,
      start: slot.start,
      end: slot.end,
      rescheduledFrom: [...(current.rescheduledFrom ?? []), current.start],
      reschedules: [
        ...(current.reschedules ?? []),
        { from: current.start, by: body.by, recorder: recorderOf(caller), at: now.toISOString() },
      ],
      version: current.version + 1,
    };
    await schedule.reschedule(current, next);
    return json(200, next);
  },
);
