import { reconcile } from '../../shared/domain/medications/reconciliation';
import { etag } from '../../shared/http/etag';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { encounterParams } from '../../shared/schemas/encounter';
import { medicationReconciliationBody } from '../../shared/schemas/medications';
import { editEncounter } from '../../shared/store/encounter-edits';

/**
 * PUT /v1/encounters/{id}/medication-reconciliation (If-Match): home and discharge medications,
 * each continued/changed/new/stopped with a reason; the discharge list is checked for
 * interactions. `status: blocked` while a high-severity one is unacknowledged. `reconciledBy` is
 * the token's client and roles; the body's `reconciledBy` is only a display name.
 */
export const handler = httpRoute({ params: encounterParams, body: medicationReconciliationBody }, async ({ params, body, caller, headers }) => {
  const now = new Date();
  const reconciledBy = { who: caller.clientId, roles: caller.roles, ...(body.reconciledBy ? { name: body.reconciledBy } : {}) };
  const encounter = await editEncounter(caller, params.id, headers['if-match'], (current) => ({
    fields: { medicationReconciliation: reconcile(body.medications, reconciledBy, now, current.medicationReconciliation) },
  }));
  return json(200, encounter.medicationReconciliation, { etag: etag(encounter.version) });
});
