import { assessReadmissionRisk } from '../../shared/domain/risk/encounter-risk';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { etag } from '../../shared/http/etag';
import { encounterParams } from '../../shared/schemas/encounter';
import { riskInputsBody } from '../../shared/schemas/risk';
import { editEncounter } from '../../shared/store/encounter-edits';

/** PUT /v1/encounters/{id}/risk-inputs (If-Match): the scores recompute from the new inputs. */
export const handler = httpRoute({ params: encounterParams, body: riskInputsBody }, async ({ params, body, caller, headers }) => {
  const encounter = await editEncounter(caller, params.id, headers['if-match'], () => ({ fields: { riskInputs: body } }));
  const risk = assessReadmissionRisk(encounter, body, new Date(), encounter.riskOverride);
  return json(200, risk, { etag: etag(encounter.version) });
});
