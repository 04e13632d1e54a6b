import { allergyListStatus } from '../../shared/domain/medications/allergies';
import { etag } from '../../shared/http/etag';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { patientParams } from '../../shared/schemas/patient';
import { patientFor } from '../../shared/care/access/visible-records';

/**
 * GET /v1/patients/{id}/allergies: the patient's allergy list with its version as ETag.
 * `status: not-asked` (ETag "0") when nothing was ever recorded, which is not "no known drug allergies".
 */
export const handler = httpRoute({ params: patientParams }, async ({ params, caller, ports }) => {
  const patient = await patientFor(ports, caller, params.id);
  const list = await ports.allergies.get(patient.patientId);
  const body = list ?? { patientId: patient.patientId, version: 0, noKnownDrugAllergies: false, entries: [] };
  return json(200, { ...body, status: allergyListStatus(list) }, { etag: etag(list?.version ?? 0) });
});
