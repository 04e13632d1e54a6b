import { ConflictError, PreconditionFailedError } from '../../shared/domain/errors';
import { allergyListStatus, nextAllergyList } from '../../shared/domain/medications/allergies';
import { recheckAllergies, type Recorder } from '../../shared/domain/medications/reconciliation';
import { etag, requiredVersion } from '../../shared/http/etag';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { newId } from '../../shared/ids';
import { allergyListBody } from '../../shared/schemas/allergies';
import { patientParams } from '../../shared/schemas/patient';
import { patientFor } from '../../shared/care/access/visible-records';

/** A stay whose discharge medications are still to be decided on: a changed allergy list must reach it. */
const isOpen = (status: string) => status !== 'discharged' && status !== 'cancelled';

/**
 * PUT /v1/patients/{id}/allergies (If-Match, "0" for the first list): the whole allergy list.
 * A new or changed entry is recorded by the token's client and roles, now; entries are never
 * dropped (entered-in-error instead). A stale If-Match is 412 and nothing is written. The
 * medication reconciliation of each open stay is checked again against the new list in the same
 * transaction, so an allergy recorded after the reconciliation blocks discharge too.
 */
export const handler = httpRoute({ params: patientParams, body: allergyListBody }, async ({ params, body, caller, headers, ports }) => {
  const expected = requiredVersion(headers['if-match'], 'allergy list ("0" for a new list)');
  const patient = await patientFor(ports, caller, params.id);
  const by: Recorder = { who: caller.clientId, roles: caller.roles, ...(body.recordedBy ? { name: body.recordedBy } : {}) };
  const s = ports;
  for (let attempt = 1; ; attempt += 1) {
    const current = await s.allergies.get(patient.patientId);
    if ((current?.version ?? 0) !== expected)
      throw new PreconditionFailedError('The allergy list was changed since you read it; read it again');
    const now = ports.now();
    const next = nextAllergyList(current, body, by, now, { patientId: patient.patientId, facilityId: patient.facilityId, newId });
    // The index finds the stays; each is read again by key so its version is the stored one.
    const listed = (await s.encounters.listByPatient(patient.patientId)).filter(
      (e) => e.facilityId === patient.facilityId && isOpen(e.status),
    );
    const stays = (await Promise.all(listed.map((e) => s.encounters.get(e.encounterId)))).flatMap((e) =>
      e && isOpen(e.status) && e.medicationReconciliation
        ? [{ current: e, changes: { fields: { medicationReconciliation: recheckAllergies(e.medicationReconciliation, next) } } }]
        : [],
    );
    try {
      await s.allergies.save(next, stays, now);
      return json(
        current ? 200 : 201,
        { ...next, status: allergyListStatus(next), rechecked: stays.map((stay) => stay.current.encounterId) },
        { etag: etag(next.version) },
      );
    } catch (error) {
      // A stay changed while it was checked again (a colleague, the feed, the workflow): read the stays again.
      if (!(error instanceof ConflictError) || attempt >= 3) throw error;
    }
  }
});
