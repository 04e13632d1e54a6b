import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { encounterParams } from '../../shared/schemas/encounter';
import { encounterFor } from '../../shared/care/access/visible-records';

/** GET /v1/encounters/{id}/alerts: threshold breaches, oldest first, each with its review task. */
export const handler = httpRoute({ params: encounterParams }, async ({ params, caller, ports }) => {
  await encounterFor(ports, caller, params.id);
  return json(200, { items: await ports.monitoring.alerts(params.id) });
});
