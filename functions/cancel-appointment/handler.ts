import { NotFoundError } from '../../shared/domain/errors';
import { recorderOf, visibleTo } from '../../shared/http/caller';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { appointmentParams, cancelAppointmentBody } from '../../shared/schemas/scheduling';

/** POST /v1/appointments/{appointmentId}/cancel: cancels a booked visit and frees its slot. Cancelling again changes nothing. */
export const handler = httpRoute({ params: appointmentParams, body: cancelAppointmentBody }, async ({ params, body, caller, ports }) => {
  const { schedule } = ports;
  const current = visibleTo(
    caller,
    await schedule.getAppointment(params.appointmentId),
    () => new NotFoundError(`Appointment ${params.appointmentId} not found`),
  );
  if (current.status === 'cancelled') return json(200, current);
  const next = {
    ...current,
    status: 'cancelled' as const,
    cancel: { ...body, recorder: recorderOf(caller), at: ports.now().toISOString() },
    version: current.version + 1,
  };
  await schedule.cancel(current, next);
  return json(200, next);
});
