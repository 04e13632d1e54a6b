import { recorderOf } from '../../shared/http/caller';
import type { CareTeamMember } from '../../shared/domain/care-team';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { newId } from '../../shared/ids';
import { newMemberBody } from '../../shared/schemas/care-team';
import { encounterParams } from '../../shared/schemas/encounter';
import { encounterFor } from '../../shared/care/access/visible-records';

/** POST /v1/encounters/{id}/care-team/members: someone joins the care team of this stay. */
export const handler = httpRoute({ params: encounterParams, body: newMemberBody }, async ({ params, body, caller, ports }) => {
  const encounter = await encounterFor(ports, caller, params.id);
  const member: CareTeamMember = {
    memberId: newId(),
    encounterId: encounter.encounterId,
    ...body,
    by: recorderOf(caller),
    addedAt: ports.now().toISOString(),
  };
  await ports.careTeam.addMember(member);
  return json(201, member);
});
