import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { encounterParams } from '../../shared/schemas/encounter';
import { encounterFor } from '../../shared/care/access/visible-records';

/** GET /v1/encounters/{id}/referrals: every referral of the stay and its status per provider, by round. */
export const handler = httpRoute({ params: encounterParams }, async ({ params, caller, ports }) => {
  const encounter = await encounterFor(ports, caller, params.id);
  const items = (await ports.referrals.list(encounter.encounterId))
    .map((r) => r.referral)
    .sort((a, b) => a.round - b.round || a.providerName.localeCompare(b.providerName));
  return json(200, { items });
});
