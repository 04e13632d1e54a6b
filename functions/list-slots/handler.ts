import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { listSlotsQuery, practitionerParams } from '../../shared/schemas/scheduling';

/** GET /v1/practitioners/{practitionerId}/slots?from=&to=&status=free: the practitioner's slots in a period, in time order. */
export const handler = httpRoute({ params: practitionerParams, query: listSlotsQuery }, async ({ params, query, caller, ports }) => {
  const slots = await ports.schedule.listSlots(caller.facilityId, params.practitionerId, query.from, query.to);
  return json(200, { items: query.status ? slots.filter((slot) => slot.status === query.status) : slots });
});
