import { canLead } from '../../shared/domain/care-team';
import { ValidationError } from '../../shared/domain/errors';
import { recorderOf } from '../../shared/http/caller';
import { etag } from '../../shared/http/etag';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { leadBody } from '../../shared/schemas/care-team';
import { encounterParams } from '../../shared/schemas/encounter';
import { editEncounter } from '../../shared/care/stay/edits';
import { encounterFor } from '../../shared/care/access/visible-records';

/** PUT /v1/encounters/{id}/care-team/lead (If-Match): a care manager on the team leads it. */
export const handler = httpRoute({ params: encounterParams, body: leadBody }, async ({ params, body, caller, headers, ports }) => {
  await encounterFor(ports, caller, params.id); // another facility's encounter: 404 before anything else
  const members = await ports.careTeam.members(params.id);
  if (!canLead(members.find((m) => m.memberId === body.memberId))) {
    throw new ValidationError('The lead must be a care manager on this care team', [
      { field: 'memberId', reason: 'is not a care manager of this team' },
    ]);
  }
  const encounter = await editEncounter(ports, caller, params.id, headers['if-match'], () => ({
    fields: { leadCareManagerId: body.memberId, leadCareManagerSetBy: recorderOf(caller) },
  }));
  return json(
    200,
    { leadCareManagerId: encounter.leadCareManagerId, leadCareManagerSetBy: encounter.leadCareManagerSetBy },
    { etag: etag(encounter.version) },
  );
});
