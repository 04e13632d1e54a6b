import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { encounterParams } from '../../shared/schemas/encounter';
import { encounterFor } from '../../shared/care/access/visible-records';

/** GET /v1/encounters/{id}/care-team: members and who leads. */
export const handler = httpRoute({ params: encounterParams }, async ({ params, caller, ports }) => {
  const encounter = await encounterFor(ports, caller, params.id);
  return json(200, {
    members: await ports.careTeam.members(encounter.encounterId),
    leadCareManagerId: encounter.leadCareManagerId ?? null,
  });
});
