import { NotFoundError } from '../../shared/domain/errors';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { encounterParams } from '../../shared/schemas/encounter';
import { stores } from '../../shared/store';
import { encounterFor } from '../../shared/store/visible-records';

/** GET /v1/encounters/{id}/transition-record: what was sent at discharge, and to whom. */
export const handler = httpRoute({ params: encounterParams }, async ({ params, caller }) => {
  const encounter = await encounterFor(caller, params.id);
  const record = await stores().transitionRecords.get(encounter.encounterId);
  if (!record) throw new NotFoundError('No transition record yet: it is sent at discharge');
  return json(200, record);
});
