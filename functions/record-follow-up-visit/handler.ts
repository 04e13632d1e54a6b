import { ConflictError } from '../../shared/domain/errors';
import { recordVisit } from '../../shared/domain/follow-up';
import { etag } from '../../shared/http/etag';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { encounterParams } from '../../shared/schemas/encounter';
import { followUpVisitBody } from '../../shared/schemas/follow-up';
import { editStayPart } from '../../shared/care/stay/edits';
import { partVersion } from '../../shared/domain/stay-parts';
import { completeIfOpen } from '../../shared/care/tasks/complete-if-open';

/**
 * PUT /v1/encounters/{id}/follow-up/visit (If-Match): the face-to-face visit after discharge and
 * when medications were reconciled. Completes the visit task; the workflow judges it at day 7/14.
 */
export const handler = httpRoute({ params: encounterParams, body: followUpVisitBody }, async ({ params, body, caller, headers, ports }) => {
  const now = ports.now();
  const encounter = await editStayPart(ports, caller, params.id, 'followUp', headers['if-match'], (current) => {
    if (!current.followUp || !current.discharge)
      throw new ConflictError('This encounter has no post-discharge follow-up (not discharged yet, or not eligible)');
    return { fields: { followUp: recordVisit(current.followUp, body, current.discharge.dischargedAt, now) } };
  });
  const followUp = encounter.followUp!;
  await completeIfOpen(ports.tasks, followUp.visitTaskId, {}, now.toISOString());
  return json(200, followUp, { etag: etag(partVersion(encounter, 'followUp')) });
});
