import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { encounterParams } from '../../shared/schemas/encounter';
import { stores } from '../../shared/store';
import { encounterFor } from '../../shared/care/access/visible-records';

/** GET /v1/encounters/{id}/care-team: members and who leads. */
export const handler = httpRoute({ params: encounterParams }, async ({ params, caller }) => {
  const encounter = await encounterFor(caller, params.id);
  return json(200, { members: await stores().careTeam.members(encounter.encounterId), leadCareManagerId: encounter.leadCareManagerId ?? null });
});
