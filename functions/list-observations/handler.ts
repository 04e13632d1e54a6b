import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { encounterParams } from '../../shared/schemas/encounter';
import { observationQuery } from '../../shared/schemas/monitoring';
import { encounterFor } from '../../shared/care/access/visible-records';

/** GET /v1/encounters/{id}/observations?code=LOINC: the trend of one code, oldest first. */
export const handler = httpRoute({ params: encounterParams, query: observationQuery }, async ({ params, query, caller, ports }) => {
  await encounterFor(ports, caller, params.id);
  const items = await ports.monitoring.observations(params.id, query.code);
  const values = items.map((o) => o.value);
  const trend = items.length
    ? {
        count: items.length,
        first: values[0],
        last: values.at(-1),
        min: Math.min(...values),
        max: Math.max(...values),
        change: values.at(-1)! - values[0]!,
      }
    : { count: 0 };
  return json(200, { code: query.code, items, trend });
});
