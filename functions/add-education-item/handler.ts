import type { EducationItem } from '../../shared/domain/education';
import { etag } from '../../shared/http/etag';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { newId } from '../../shared/ids';
import { newEducationBody } from '../../shared/schemas/education';
import { encounterParams } from '../../shared/schemas/encounter';
import { encounterFor } from '../../shared/care/access/visible-records';

/** POST /v1/encounters/{id}/education: plan a topic to teach; it stays open until understood. */
export const handler = httpRoute({ params: encounterParams, body: newEducationBody }, async ({ params, body, caller, ports }) => {
  const encounter = await encounterFor(ports, caller, params.id);
  const now = ports.now().toISOString();
  const item: EducationItem = {
    itemId: newId(),
    encounterId: encounter.encounterId,
    facilityId: encounter.facilityId,
    ...body,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  await ports.education.put(item);
  return json(
    201,
    { ...item, open: true },
    { etag: etag(item.version), location: `/v1/encounters/${encounter.encounterId}/education/${item.itemId}` },
  );
});
