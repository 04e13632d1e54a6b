import { ValidationError } from '../../shared/domain/errors';
import { choiceProblems } from '../../shared/domain/patient-choice';
import { recorderOf } from '../../shared/http/caller';
import { etag } from '../../shared/http/etag';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { encounterParams } from '../../shared/schemas/encounter';
import { patientChoiceBody } from '../../shared/schemas/patient-choice';
import { editStayPart } from '../../shared/care/stay/edits';
import { partVersion } from '../../shared/domain/stay-parts';

/**
 * PUT /v1/encounters/{id}/patient-choice (If-Match): the providers the patient chose from the
 * list given (in order of preference), one not on it (`offListProvider`, referred like the others
 * by the care manager, who records its answer), or that they declined to choose. Discharge to
 * post-acute care cannot be recorded without it.
 */
export const handler = httpRoute({ params: encounterParams, body: patientChoiceBody }, async ({ params, body, caller, headers, ports }) => {
  const recordedAt = ports.now().toISOString();
  const encounter = await editStayPart(ports, caller, params.id, 'patientChoice', headers['if-match'], (current) => {
    const problems = choiceProblems(current.choiceList, body);
    if (problems.length > 0) throw new ValidationError('The choice does not match the list given', problems);
    return { fields: { patientChoice: { ...body, by: recorderOf(caller), recordedAt } } };
  });
  return json(
    200,
    { choiceList: encounter.choiceList, patientChoice: encounter.patientChoice },
    { etag: etag(partVersion(encounter, 'patientChoice')) },
  );
});
