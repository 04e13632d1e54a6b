import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { etag } from '../../shared/http/etag';
import { patientParams } from '../../shared/schemas/patient';
import { patientFor } from '../../shared/care/access/visible-records';

/** GET /v1/patients/{id}: the patient, with its version as ETag (send it back as If-Match). */
export const handler = httpRoute({ params: patientParams }, async ({ params, caller, ports }) => {
  const patient = await patientFor(ports, caller, params.id);
  return json(200, patient, { etag: etag(patient.version) });
});
