import { NotFoundError } from '../../shared/domain/errors';
import { etag } from '../../shared/http/etag';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { encounterParams } from '../../shared/schemas/encounter';
import { encounterFor } from '../../shared/care/access/visible-records';

/** GET /v1/encounters/{id}/care-plan: the current version, with it as ETag. */
export const handler = httpRoute({ params: encounterParams }, async ({ params, caller, ports }) => {
  await encounterFor(ports, caller, params.id);
  const plan = await ports.carePlans.current(params.id);
  if (!plan) throw new NotFoundError(`Encounter ${params.id} has no care plan yet; PUT one with If-Match: "0"`);
  return json(200, plan, { etag: etag(plan.version) });
});
