import { ValidationError } from '../../shared/domain/errors';
import { arrangementProblems } from '../../shared/domain/service-arrangements';
import { recorderOf } from '../../shared/http/caller';
import { etag } from '../../shared/http/etag';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { encounterParams } from '../../shared/schemas/encounter';
import { serviceArrangementsBody } from '../../shared/schemas/service-arrangements';
import { editStayPart } from '../../shared/care/stay/edits';
import { partVersion } from '../../shared/domain/stay-parts';

/**
 * PUT /v1/encounters/{id}/service-arrangements (If-Match): for services of the discharge plan,
 * the provider and date arranged, or the patient's refusal with a reason. Arrangements for other
 * services are kept; the discharge waits until every service of the plan has one.
 */
export const handler = httpRoute(
  { params: encounterParams, body: serviceArrangementsBody },
  async ({ params, body, caller, headers, ports }) => {
    const arrangedAt = ports.now().toISOString();
    const encounter = await editStayPart(ports, caller, params.id, 'serviceArrangements', headers['if-match'], (current) => {
      const problems = arrangementProblems(current.dischargePlan?.services, body.arrangements);
      if (problems.length > 0) throw new ValidationError('The arrangements do not fit the discharge plan', problems);
      const updated = new Map((current.serviceArrangements ?? []).map((a) => [a.service, a]));
      for (const arrangement of body.arrangements) updated.set(arrangement.service, { ...arrangement, by: recorderOf(caller), arrangedAt });
      return { fields: { serviceArrangements: [...updated.values()] } };
    });
    return json(
      200,
      { services: encounter.dischargePlan?.services ?? [], arrangements: encounter.serviceArrangements },
      { etag: etag(partVersion(encounter, 'serviceArrangements')) },
    );
  },
);
