import { assessReadmissionRisk } from '../../shared/domain/risk/encounter-risk';
import { derivePriorUtilization } from '../../shared/domain/risk/prior-utilization';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { etag } from '../../shared/http/etag';
import { encounterParams } from '../../shared/schemas/encounter';
import { riskInputsBody } from '../../shared/schemas/risk';
import { facilityTimeZone } from '../../shared/site-config';
import { editStayPart } from '../../shared/care/stay/edits';
import { partVersion } from '../../shared/domain/stay-parts';
import { encounterFor } from '../../shared/care/access/visible-records';

/**
 * PUT /v1/encounters/{id}/risk-inputs (If-Match): the scores recompute from the new inputs. Prior
 * ED visits and admissions are counted from the patient's stays (an index query) and kept beside
 * any count the clinician typed, which wins when given.
 */
export const handler = httpRoute({ params: encounterParams, body: riskInputsBody }, async ({ params, body, caller, headers, ports }) => {
  const now = ports.now();
  const { patientId, facilityId } = await encounterFor(ports, caller, params.id);
  const timeZone = facilityTimeZone(facilityId);
  const stays = await ports.encounters.listByPatient(patientId);
  const encounter = await editStayPart(ports, caller, params.id, 'risk', headers['if-match'], (current) => ({
    fields: { riskInputs: { ...body, derived: derivePriorUtilization(current, stays, timeZone, now) } },
  }));
  const risk = assessReadmissionRisk(encounter, encounter.riskInputs!, now, timeZone, encounter.riskOverride);
  return json(200, risk, { etag: etag(partVersion(encounter, 'risk')) });
});
