import { recorderOf } from '../../shared/http/caller';
import { ConflictError } from '../../shared/domain/errors';
import { addContactAttempt } from '../../shared/domain/follow-up';
import { etag } from '../../shared/http/etag';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { stableId } from '../../shared/ids';
import { encounterParams } from '../../shared/schemas/encounter';
import { contactAttemptBody } from '../../shared/schemas/follow-up';
import { editStayPart } from '../../shared/care/stay/edits';
import { partVersion } from '../../shared/domain/stay-parts';
import { completeIfOpen } from '../../shared/care/tasks/complete-if-open';

/**
 * POST /v1/encounters/{id}/follow-up/contacts (If-Match): documents one TCM contact attempt after
 * discharge. Resending the same attempt changes nothing (its id is derived from it). When the
 * patient was reached, the contact task is completed; the workflow judges timeliness at the deadline.
 */
export const handler = httpRoute(
  { params: encounterParams, body: contactAttemptBody },
  async ({ params, body, caller, headers, ports }) => {
    const now = ports.now();
    const encounter = await editStayPart(ports, caller, params.id, 'followUp', headers['if-match'], (current) => {
      if (!current.followUp || !current.discharge)
        throw new ConflictError('This encounter has no post-discharge follow-up (not discharged yet, or not eligible)');
      const attempt = { attemptId: stableId(params.id, body.at, body.method, body.by), ...body, recorder: recorderOf(caller) };
      return { fields: { followUp: addContactAttempt(current.followUp, attempt, current.discharge.dischargedAt, now) } };
    });
    const followUp = encounter.followUp!;
    if (body.reached) await completeIfOpen(ports.tasks, followUp.contactTaskId, { method: body.method, reached: true }, now.toISOString());
    return json(201, followUp, { etag: etag(partVersion(encounter, 'followUp')) });
  },
);
