import { recorderOf } from '../../shared/http/caller';
import { decide } from '../../shared/domain/grievances';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { grievanceDecisionBody, grievanceParams } from '../../shared/schemas/grievances';
import { changeGrievanceFor } from '../../shared/care/grievances/changes';

/**
 * POST /v1/encounters/{id}/grievances/{grievanceId}/decision: the written decision with what
 * 42 CFR 482.13(a)(2)(iii) requires (contact person, steps taken to investigate, results,
 * completion date). It resolves the grievance; the workflow then closes.
 */
export const handler = httpRoute({ params: grievanceParams, body: grievanceDecisionBody }, async ({ params, body, caller, ports }) => {
  const { record } = await changeGrievanceFor(
    ports,
    caller,
    params.id,
    params.grievanceId,
    (g) => decide(g, { ...body, recorder: recorderOf(caller) }, ports.now()),
    true,
  );
  return json(200, record);
});
