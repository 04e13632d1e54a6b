import { recorderOf } from '../../shared/http/caller';
import { etag } from '../../shared/http/etag';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { goalsAndPreferencesBody } from '../../shared/schemas/goals';
import { encounterParams } from '../../shared/schemas/encounter';
import { editStayPart } from '../../shared/care/stay/edits';
import { partVersion } from '../../shared/domain/stay-parts';

/** PUT /v1/encounters/{id}/goals-and-preferences (If-Match): the patient's goals, preferences and supports. */
export const handler = httpRoute(
  { params: encounterParams, body: goalsAndPreferencesBody },
  async ({ params, body, caller, headers, ports }) => {
    const recordedAt = ports.now().toISOString();
    const encounter = await editStayPart(ports, caller, params.id, 'goalsAndPreferences', headers['if-match'], () => ({
      fields: { goalsAndPreferences: { ...body, by: recorderOf(caller), recordedAt } },
    }));
    return json(200, encounter.goalsAndPreferences, { etag: etag(partVersion(encounter, 'goalsAndPreferences')) });
  },
);
