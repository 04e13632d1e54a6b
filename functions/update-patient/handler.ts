import { addIdentifiers } from '../../shared/domain/adt/apply-to-patient';
import { PreconditionFailedError } from '../../shared/domain/errors';
import { etag, requiredVersion } from '../../shared/http/etag';
import { env } from '../../shared/env';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { patientBody, patientParams } from '../../shared/schemas/patient';
import { patientWrites } from '../../shared/store/patient-store';
import { patientFor } from '../../shared/care/access/visible-records';

/**
 * PUT /v1/patients/{id} with If-Match: replaces demographics; identifiers only add up (an
 * identifier is never taken away from a record through this route).
 */
export const handler = httpRoute({ params: patientParams, body: patientBody }, async ({ params, body, caller, headers, ports }) => {
  const expected = requiredVersion(headers['if-match'], 'patient');
  const current = await patientFor(ports, caller, params.id);
  const stale = () => new PreconditionFailedError('The patient was changed since you read it; read it again');
  if ((current.version ?? 0) !== expected) throw stale();
  const { all, added } = addIdentifiers(current.identifiers, body.identifiers);
  const now = ports.now().toISOString();
  // A person's correction counts as of now: an older ADT message arriving later must not undo it.
  const next = {
    ...current,
    name: body.name,
    birthDate: body.birthDate,
    sex: body.sex,
    identifiers: all,
    demographicsAsOf: now,
    updatedAt: now,
  };
  await ports.patients.write(patientWrites(env().TABLE_NAME).replace(current, next, { claim: added }), stale);
  const version = (current.version ?? 0) + 1;
  return json(200, { ...next, version }, { etag: etag(version) });
});
