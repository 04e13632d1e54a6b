import { recorderOf } from '../../shared/http/caller';
import { etag } from '../../shared/http/etag';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { goalsOfCareBody } from '../../shared/schemas/goals';
import { encounterParams } from '../../shared/schemas/encounter';
import { editStayPart } from '../../shared/care/stay/edits';
import { partVersion } from '../../shared/domain/stay-parts';

/**
 * PUT /v1/encounters/{id}/goals-of-care (If-Match): treatment level, code status, directives. The
 * discharge workflow reads it when it builds the plan (comfort-focused → hospice).
 */
export const handler = httpRoute({ params: encounterParams, body: goalsOfCareBody }, async ({ params, body, caller, headers, ports }) => {
  const recordedAt = ports.now().toISOString();
  const encounter = await editStayPart(ports, caller, params.id, 'goalsOfCare', headers['if-match'], () => ({
    fields: { goalsOfCare: { ...body, by: recorderOf(caller), recordedAt } },
  }));
  return json(200, encounter.goalsOfCare, { etag: etag(partVersion(encounter, 'goalsOfCare')) });
});
