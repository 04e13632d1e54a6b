import { NotFoundError } from '../../shared/domain/errors';
import { transitionRecordView } from '../../shared/domain/transition-record';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { encounterParams } from '../../shared/schemas/encounter';
import { encounterFor } from '../../shared/care/access/visible-records';

/**
 * GET /v1/encounters/{id}/transition-record: the current version of what was sent at discharge
 * and to whom (else the newest, retracted or superseded), with every version's history.
 */
export const handler = httpRoute({ params: encounterParams }, async ({ params, caller, ports }) => {
  const encounter = await encounterFor(ports, caller, params.id);
  const view = transitionRecordView(await ports.transitionRecords.versions(encounter.encounterId));
  if (!view) throw new NotFoundError('No transition record yet: it is sent at discharge');
  return json(200, view);
});
