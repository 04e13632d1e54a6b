import { rosterEntry } from '../../shared/domain/caseloads';
import { NotFoundError } from '../../shared/domain/errors';
import { siteConfig } from '../../shared/site-config';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { careManagerParams } from '../../shared/schemas/caseloads';

/** GET /v1/care-managers/{careManagerId}/caseload: who they are, their load and maximum, and the stays they carry. */
export const handler = httpRoute({ params: careManagerParams }, async ({ params, caller, ports }) => {
  const roster = siteConfig().careManagers[caller.facilityId] ?? [];
  if (!roster.some((cm) => cm.careManagerId === params.careManagerId))
    throw new NotFoundError(`Care manager ${params.careManagerId} not found`);
  const careManager = rosterEntry(roster, params.careManagerId);
  const { caseloads } = ports;
  const [load, items] = await Promise.all([
    caseloads.load(caller.facilityId, careManager.careManagerId),
    caseloads.stays(caller.facilityId, careManager.careManagerId),
  ]);
  return json(200, { careManager, load, items });
});
