import { ValidationError } from '../../shared/domain/errors';
import { acknowledge } from '../../shared/domain/medications/reconciliation';
import { etag } from '../../shared/http/etag';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { encounterParams } from '../../shared/schemas/encounter';
import { acknowledgementBody } from '../../shared/schemas/medications';
import { editEncounter } from '../../shared/store/encounter-edits';

/**
 * POST /v1/encounters/{id}/medication-reconciliation/acknowledgements (If-Match): a pharmacist or
 * physician accepts one interaction with a reason; the last high-severity one unblocks discharge.
 */
export const handler = httpRoute({ params: encounterParams, body: acknowledgementBody }, async ({ params, body, caller, headers }) => {
  const at = new Date().toISOString();
  const encounter = await editEncounter(caller, params.id, headers['if-match'], (current) => {
    if (!current.medicationReconciliation) {
      throw new ValidationError('Reconcile the medications first', [{ field: 'interactionId', reason: 'there is no reconciliation yet' }]);
    }
    const { interactionId, ...acknowledgement } = body;
    return { fields: { medicationReconciliation: acknowledge(current.medicationReconciliation, interactionId, { ...acknowledgement, at }) } };
  });
  return json(200, encounter.medicationReconciliation, { etag: etag(encounter.version) });
});
