import { topBoxScores } from '../../shared/domain/satisfaction';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { satisfactionQuery } from '../../shared/schemas/satisfaction';

/** GET /v1/satisfaction?unit=&from=YYYY-MM&to=YYYY-MM: top-box scores per survey item for the caller's facility (one unit, or all). */
export const handler = httpRoute({ query: satisfactionQuery }, async ({ query, caller, ports }) => {
  const counts = await ports.satisfaction.counts(caller.facilityId, query.unit, query.from, query.to);
  return json(200, {
    facilityId: caller.facilityId,
    unit: query.unit ?? null,
    from: query.from,
    to: query.to,
    items: topBoxScores(counts),
  });
});
