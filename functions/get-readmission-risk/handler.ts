import { NotFoundError } from '../../shared/domain/errors';
import { assessReadmissionRisk } from '../../shared/domain/risk/encounter-risk';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { facilityTimeZone } from '../../shared/site-config';
import { partVersion } from '../../shared/domain/stay-parts';
import { etag } from '../../shared/http/etag';
import { encounterParams } from '../../shared/schemas/encounter';
import { encounterFor } from '../../shared/care/access/visible-records';

/** GET /v1/encounters/{id}/risk: LACE and HOSPITAL with every item's points, and any override. */
export const handler = httpRoute({ params: encounterParams }, async ({ params, caller, ports }) => {
  const encounter = await encounterFor(ports, caller, params.id);
  if (!encounter.riskInputs) throw new NotFoundError(`No risk inputs recorded for encounter ${params.id}; PUT them first`);
  const risk = assessReadmissionRisk(
    encounter,
    encounter.riskInputs,
    ports.now(),
    facilityTimeZone(encounter.facilityId),
    encounter.riskOverride,
  );
  return json(200, risk, { etag: etag(partVersion(encounter, 'risk')) });
});
