import { env } from '../../shared/env';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { newId } from '../../shared/ids';
import type { Patient } from '../../shared/domain/encounter';
import { etag } from '../../shared/http/etag';
import { patientBody } from '../../shared/schemas/patient';
import { patientWrites } from '../../shared/store/patient-store';

/** POST /v1/patients: register a patient of the caller's facility (409 if an identifier is taken). */
export const handler = httpRoute({ body: patientBody }, async ({ body, caller, ports }) => {
  const now = ports.now().toISOString();
  const patient: Patient = { patientId: newId(), facilityId: caller.facilityId, ...body, version: 1, createdAt: now, updatedAt: now };
  await ports.patients.write(patientWrites(env().TABLE_NAME).create(patient));
  return json(201, patient, { location: `/v1/patients/${patient.patientId}`, etag: etag(patient.version) });
});
