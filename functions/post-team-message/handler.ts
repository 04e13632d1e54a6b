import { recorderOf } from '../../shared/http/caller';
import type { TeamMessage } from '../../shared/domain/care-team';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { newId } from '../../shared/ids';
import { messageBody } from '../../shared/schemas/care-team';
import { encounterParams } from '../../shared/schemas/encounter';
import { encounterFor } from '../../shared/care/access/visible-records';

/** POST /v1/encounters/{id}/care-team/messages: a message to the team's thread (append-only). */
export const handler = httpRoute({ params: encounterParams, body: messageBody }, async ({ params, body, caller, ports }) => {
  const encounter = await encounterFor(ports, caller, params.id);
  const message: TeamMessage = {
    messageId: newId(),
    encounterId: encounter.encounterId,
    ...body,
    by: recorderOf(caller),
    sentAt: ports.now().toISOString(),
  };
  await ports.careTeam.post(message);
  return json(201, message);
});
