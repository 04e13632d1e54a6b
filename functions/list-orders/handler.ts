import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { encounterParams } from '../../shared/schemas/encounter';
import { encounterFor } from '../../shared/care/access/visible-records';

/**
 * GET /v1/encounters/{id}/orders: the stay's orders, oldest first, with any duplicate override or
 * repeat warning they were placed with. Orders are clinical record: the route's policy is
 * read-clinical, like the stay's other clinical parts (minimum necessary).
 */
export const handler = httpRoute({ params: encounterParams }, async ({ params, caller, ports }) => {
  const encounter = await encounterFor(ports, caller, params.id);
  const items = await ports.orders.forEncounter(encounter.patientId, encounter.encounterId);
  return json(200, { items });
});
