import { isOpen } from '../../shared/domain/education';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { encounterParams } from '../../shared/schemas/encounter';
import { encounterFor } from '../../shared/care/access/visible-records';

/** GET /v1/encounters/{id}/education: every item, and how many are still open. */
export const handler = httpRoute({ params: encounterParams }, async ({ params, caller, ports }) => {
  await encounterFor(ports, caller, params.id);
  const items = (await ports.education.list(params.id)).map((item) => ({ ...item, open: isOpen(item) }));
  return json(200, { items, open: items.filter((item) => item.open).length });
});
