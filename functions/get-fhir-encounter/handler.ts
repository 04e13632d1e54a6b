import { z } from 'zod';
import { NotFoundError } from '../../shared/domain/errors';
import { toFhirEncounter } from '../../shared/domain/fhir';
import { visibleTo } from '../../shared/http/caller';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { stores } from '../../shared/store';

const params = z.object({ id: z.uuid('must be an encounter id (UUID)') });

/** GET /v1/fhir/Encounter/{id}: the encounter as a FHIR R4 Encounter resource. */
export const handler = httpRoute({ params }, async ({ params, caller }) => {
  const encounter = visibleTo(caller, await stores().encounters.get(params.id), () => new NotFoundError(`Encounter ${params.id} not found`));
  return json(200, toFhirEncounter(encounter), { 'content-type': 'application/fhir+json' });
});
