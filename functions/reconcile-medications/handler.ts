import { reconcile } from '../../shared/domain/medications/reconciliation';
import { etag } from '../../shared/http/etag';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { encounterParams } from '../../shared/schemas/encounter';
import { medicationReconciliationBody } from '../../shared/schemas/medications';
import { editStayPart } from '../../shared/care/stay/edits';
import { partVersion } from '../../shared/domain/stay-parts';
import { encounterFor } from '../../shared/care/access/visible-records';

/**
 * PUT /v1/encounters/{id}/medication-reconciliation (If-Match): home and discharge medications,
 * each continued/changed/new/stopped with a reason; the discharge list is checked for
 * interactions and against the patient's allergy list as it is now (GET /v1/patients/{id}/allergies).
 * `status: blocked` while a high-severity interaction or allergy alert is unacknowledged. `reconciledBy` is
 * the token's client and roles; the body's `reconciledBy` is only a display name.
 */
export const handler = httpRoute(
  { params: encounterParams, body: medicationReconciliationBody },
  async ({ params, body, caller, headers, ports }) => {
    const now = ports.now();
    // The list is read before the conditional write; `allergyCheck.listVersion` says which version was checked.
    const allergies = await ports.allergies.get((await encounterFor(ports, caller, params.id)).patientId);
    const reconciledBy = { who: caller.clientId, roles: caller.roles, ...(body.reconciledBy ? { name: body.reconciledBy } : {}) };
    const encounter = await editStayPart(ports, caller, params.id, 'medicationReconciliation', headers['if-match'], (current) => ({
      fields: { medicationReconciliation: reconcile(body.medications, reconciledBy, now, current.medicationReconciliation, allergies) },
    }));
    return json(200, encounter.medicationReconciliation, { etag: etag(partVersion(encounter, 'medicationReconciliation')) });
  },
);
