import { ValidationError } from '../../shared/domain/errors';
import { acknowledge, HIGH_SEVERITY_ACKNOWLEDGERS, interactionOf, mayAcknowledge } from '../../shared/domain/medications/reconciliation';
import { ForbiddenError } from '../../shared/http/caller';
import { etag } from '../../shared/http/etag';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { encounterParams } from '../../shared/schemas/encounter';
import { acknowledgementBody } from '../../shared/schemas/medications';
import { editEncounter } from '../../shared/store/encounter-edits';

/**
 * POST /v1/encounters/{id}/medication-reconciliation/acknowledgements (If-Match): one interaction
 * accepted with a reason; the last high-severity one unblocks discharge. Who acknowledges, and in
 * which role, is the verified token's: a high-severity interaction needs a pharmacist or physician
 * role in it (403 otherwise), whatever the body says.
 */
export const handler = httpRoute({ params: encounterParams, body: acknowledgementBody }, async ({ params, body, caller, headers }) => {
  const at = new Date().toISOString();
  const encounter = await editEncounter(caller, params.id, headers['if-match'], (current) => {
    if (!current.medicationReconciliation) {
      throw new ValidationError('Reconcile the medications first', [{ field: 'interactionId', reason: 'there is no reconciliation yet' }]);
    }
    const interaction = interactionOf(current.medicationReconciliation, body.interactionId);
    if (!mayAcknowledge(caller.roles, interaction.severity)) {
      throw new ForbiddenError(`A ${interaction.severity}-severity interaction is acknowledged by ${HIGH_SEVERITY_ACKNOWLEDGERS.join(' or ')}; the token grants ${caller.roles.join(', ')}`);
    }
    const by = { who: caller.clientId, roles: caller.roles, ...(body.by ? { name: body.by } : {}) };
    return { fields: { medicationReconciliation: acknowledge(current.medicationReconciliation, body.interactionId, { by, reason: body.reason, at }) } };
  });
  return json(200, encounter.medicationReconciliation, { etag: etag(encounter.version) });
});
