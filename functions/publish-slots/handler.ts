import { newSlots } from '../../shared/domain/scheduling';
import { recorderOf } from '../../shared/http/caller';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { stableId } from '../../shared/ids';
import { practitionerParams, publishSlotsBody } from '../../shared/schemas/scheduling';

/**
 * POST /v1/practitioners/{practitionerId}/slots: a practitioner's or clinic's bookable slots in
 * the caller's facility. A slot is identified by practitioner and start, so publishing the same
 * slots again adds nothing (`published` counts the new ones).
 */
export const handler = httpRoute({ params: practitionerParams, body: publishSlotsBody }, async ({ params, body, caller, ports }) => {
  const slots = newSlots(
    {
      facilityId: caller.facilityId,
      practitionerId: params.practitionerId,
      clinic: body.clinic,
      slots: body.slots,
      publishedBy: body.publishedBy,
      by: recorderOf(caller),
    },
    (start) => stableId(caller.facilityId, params.practitionerId, start),
    ports.now(),
  );
  const { schedule } = ports;
  const published = (await Promise.all(slots.map((slot) => schedule.publish(slot)))).filter(Boolean).length;
  return json(201, { published, slots });
});
