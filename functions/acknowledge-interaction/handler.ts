import { ValidationError } from '../../shared/domain/errors';
import {
  acknowledge,
  acknowledgeAllergyAlert,
  allergyAlertOf,
  confirmMedication,
  CONFIRMING_ROLES,
  HIGH_SEVERITY_ACKNOWLEDGERS,
  interactionOf,
  mayAcknowledge,
  mayConfirm,
  type MedicationReconciliation,
  type Recorder,
} from '../../shared/domain/medications/reconciliation';
import { ForbiddenError } from '../../shared/http/caller';
import { etag } from '../../shared/http/etag';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { encounterParams } from '../../shared/schemas/encounter';
import { acknowledgementBody } from '../../shared/schemas/medications';
import { editStayPart } from '../../shared/care/stay/edits';
import { partVersion } from '../../shared/domain/stay-parts';

/**
 * POST /v1/encounters/{id}/medication-reconciliation/acknowledgements (If-Match): one interaction
 * accepted with a reason (`interactionId`), one allergy alert (`allergyAlertId`: a high one, like a
 * high-severity interaction, needs a pharmacist's or physician's token), or a medication the vocabulary does not know confirmed
 * by a pharmacist (`drug`, as written). Who acts, and in which role, is the verified token's: a
 * high-severity interaction needs a pharmacist or physician role in it, a confirmation a
 * pharmacist's (403 otherwise), whatever the body says.
 */
export const handler = httpRoute(
  { params: encounterParams, body: acknowledgementBody },
  async ({ params, body, caller, headers, ports }) => {
    const at = ports.now().toISOString();
    const by: Recorder = { who: caller.clientId, roles: caller.roles, ...(body.by ? { name: body.by } : {}) };
    const encounter = await editStayPart(ports, caller, params.id, 'medicationReconciliation', headers['if-match'], (current) => {
      const reconciliation: MedicationReconciliation | undefined = current.medicationReconciliation;
      if (!reconciliation) {
        throw new ValidationError('Reconcile the medications first', [
          {
            field: body.drug ? 'drug' : body.allergyAlertId ? 'allergyAlertId' : 'interactionId',
            reason: 'there is no reconciliation yet',
          },
        ]);
      }
      if (body.allergyAlertId) {
        const alert = allergyAlertOf(reconciliation, body.allergyAlertId);
        if (!mayAcknowledge(caller.roles, alert.severity === 'high' ? 'high' : 'moderate')) {
          throw new ForbiddenError(
            `A high allergy alert is acknowledged by ${HIGH_SEVERITY_ACKNOWLEDGERS.join(' or ')}; the token grants ${caller.roles.join(', ')}`,
          );
        }
        return {
          fields: {
            medicationReconciliation: acknowledgeAllergyAlert(reconciliation, body.allergyAlertId, { by, reason: body.reason, at }),
          },
        };
      }
      if (body.drug) {
        if (!mayConfirm(caller.roles))
          throw new ForbiddenError(
            `An unrecognised medication is confirmed by ${CONFIRMING_ROLES.join(' or ')}; the token grants ${caller.roles.join(', ')}`,
          );
        return { fields: { medicationReconciliation: confirmMedication(reconciliation, body.drug, { by, reason: body.reason, at }) } };
      }
      const interaction = interactionOf(reconciliation, body.interactionId!);
      if (!mayAcknowledge(caller.roles, interaction.severity)) {
        throw new ForbiddenError(
          `A ${interaction.severity}-severity interaction is acknowledged by ${HIGH_SEVERITY_ACKNOWLEDGERS.join(' or ')}; the token grants ${caller.roles.join(', ')}`,
        );
      }
      return { fields: { medicationReconciliation: acknowledge(reconciliation, body.interactionId!, { by, reason: body.reason, at }) } };
    });
    return json(200, encounter.medicationReconciliation, { etag: etag(partVersion(encounter, 'medicationReconciliation')) });
  },
);
