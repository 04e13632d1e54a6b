import { minimumNecessary } from '../../shared/domain/access';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { patientParams } from '../../shared/schemas/patient';
import { patientFor } from '../../shared/care/access/visible-records';

/** GET /v1/patients/{id}/encounters: every encounter of the patient, oldest first, each as the caller may see it. */
export const handler = httpRoute({ params: patientParams }, async ({ params, caller, ports }) => {
  const patient = await patientFor(ports, caller, params.id);
  const items = await ports.encounters.listByPatient(patient.patientId);
  return json(200, { items: items.map(({ executionArn: _arn, ...encounter }) => minimumNecessary(encounter, caller.roles)) });
});
