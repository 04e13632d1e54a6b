import { toFhirPatient } from '../../shared/domain/fhir';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { patientParams } from '../../shared/schemas/patient';
import { patientFor } from '../../shared/care/access/visible-records';

/** GET /v1/fhir/Patient/{id}: the patient as a FHIR R4 Patient resource. */
export const handler = httpRoute({ params: patientParams }, async ({ params, caller, ports }) =>
  json(200, toFhirPatient(await patientFor(ports, caller, params.id)), { 'content-type': 'application/fhir+json' }),
);
