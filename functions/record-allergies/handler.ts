import { PreconditionFailedError } from '../../shared/domain/errors';
import { allergyListStatus, nextAllergyList } from '../../shared/domain/medications/allergies';
import type { Recorder } from '../../shared/domain/medications/reconciliation';
import { etag, requiredVersion } from '../../shared/http/etag';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { newId } from '../../shared/ids';
import { allergyListBody } from '../../shared/schemas/allergies';
import { patientParams } from '../../shared/schemas/patient';
import { stores } from '../../shared/store';
import { patientFor } from '../../shared/store/visible-records';

/**
 * PUT /v1/patients/{id}/allergies (If-Match, "0" for the first list): the whole allergy list.
 * A new or changed entry is recorded by the token's client and roles, now; entries are never
 * dropped (entered-in-error instead). A stale If-Match is 412 and nothing is written.
 */
export const handler = httpRoute({ params: patientParams, body: allergyListBody }, async ({ params, body, caller, headers }) => {
  const expected = requiredVersion(headers['if-match'], 'allergy list ("0" for a new list)');
  const patient = await patientFor(caller, params.id);
  const current = await stores().allergies.get(patient.patientId);
  if ((current?.version ?? 0) !== expected) throw new PreconditionFailedError('The allergy list was changed since you read it; read it again');
  const by: Recorder = { who: caller.clientId, roles: caller.roles, ...(body.recordedBy ? { name: body.recordedBy } : {}) };
  const next = nextAllergyList(current, body, by, new Date(), { patientId: patient.patientId, facilityId: patient.facilityId, newId });
  await stores().allergies.save(next);
  return json(current ? 200 : 201, { ...next, status: allergyListStatus(next) }, { etag: etag(next.version) });
});
