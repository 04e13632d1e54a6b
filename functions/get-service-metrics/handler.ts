import { ALL_UNITS, metricsFromTotals } from '../../shared/domain/metrics';
import { NotFoundError } from '../../shared/domain/errors';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { metricsQuery } from '../../shared/schemas/metrics';

/**
 * GET /v1/metrics?facility=&unit=&from=YYYY-MM-DD&to=YYYY-MM-DD: the service metrics of the
 * caller's facility (one unit, or all) over the period, summed from the day counters the change
 * stream keeps; one query per request, whatever the number of stays.
 */
export const handler = httpRoute({ query: metricsQuery }, async ({ query, caller, ports }) => {
  // Another facility's figures are answered like a facility that does not exist.
  if (query.facility && query.facility !== caller.facilityId) throw new NotFoundError(`No metrics for facility ${query.facility}`);
  const totals = await ports.metrics.totals(caller.facilityId, query.unit ?? ALL_UNITS, query.from, query.to);
  return json(200, {
    facilityId: caller.facilityId,
    unit: query.unit ?? null,
    from: query.from,
    to: query.to,
    ...metricsFromTotals(totals),
  });
});
