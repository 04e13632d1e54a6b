import { recorderOf } from '../../shared/http/caller';
import { acknowledge } from '../../shared/domain/grievances';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { acknowledgeGrievanceBody, grievanceParams } from '../../shared/schemas/grievances';
import { changeGrievanceFor } from '../../shared/care/grievances/changes';

/** POST /v1/encounters/{id}/grievances/{grievanceId}/acknowledgement: the written acknowledgement was sent. */
export const handler = httpRoute({ params: grievanceParams, body: acknowledgeGrievanceBody }, async ({ params, body, caller, ports }) => {
  const { record } = await changeGrievanceFor(
    ports,
    caller,
    params.id,
    params.grievanceId,
    (g) => acknowledge(g, body.acknowledgedAt, ports.now(), recorderOf(caller)),
    true,
  );
  return json(200, record);
});
