import { ValidationError } from '../../shared/domain/errors';
import { assessReadmissionRisk } from '../../shared/domain/risk/encounter-risk';
import { json } from '../../shared/http/responses';
import { recorderOf } from '../../shared/http/caller';
import { httpRoute } from '../../shared/http/route';
import { facilityTimeZone } from '../../shared/site-config';
import { etag } from '../../shared/http/etag';
import { encounterParams } from '../../shared/schemas/encounter';
import { riskOverrideBody } from '../../shared/schemas/risk';
import { editStayPart } from '../../shared/care/stay/edits';
import { partVersion } from '../../shared/domain/stay-parts';

/**
 * PUT /v1/encounters/{id}/risk-override (If-Match): a clinician's tier with a reason. Scores are
 * advisory; the computed tier stays visible beside the override.
 */
export const handler = httpRoute({ params: encounterParams, body: riskOverrideBody }, async ({ params, body, caller, headers, ports }) => {
  const at = ports.now().toISOString();
  const encounter = await editStayPart(ports, caller, params.id, 'risk', headers['if-match'], (current) => {
    if (!current.riskInputs) {
      throw new ValidationError('There is no computed risk to override yet', [{ field: 'riskInputs', reason: 'record them first' }]);
    }
    const { clinician, tier, reason } = body;
    return { fields: { riskOverride: { tier, reason, by: recorderOf(caller), ...(clinician ? { clinician } : {}), at } } };
  });
  const risk = assessReadmissionRisk(
    encounter,
    encounter.riskInputs!,
    ports.now(),
    facilityTimeZone(encounter.facilityId),
    encounter.riskOverride,
  );
  return json(200, risk, { etag: etag(partVersion(encounter, 'risk')) });
});
