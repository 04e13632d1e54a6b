import { appointmentsIcs } from '../../shared/domain/scheduling';
import { httpRoute } from '../../shared/http/route';
import { patientParams } from '../../shared/schemas/patient';
import { patientFor } from '../../shared/care/access/visible-records';

/** GET /v1/patients/{id}/appointments.ics: the patient's booked visits as an iCalendar file. */
export const handler = httpRoute({ params: patientParams }, async ({ params, caller, ports }) => {
  const patient = await patientFor(ports, caller, params.id);
  const appointments = (await ports.schedule.appointmentsOfPatient(patient.patientId)).filter((a) => a.facilityId === caller.facilityId);
  return {
    statusCode: 200,
    headers: { 'content-type': 'text/calendar; charset=utf-8', 'content-disposition': 'attachment; filename="appointments.ics"' },
    body: appointmentsIcs(appointments, ports.now()),
  };
});
