import { minimumNecessary } from '../../shared/domain/access';
import { encounterParams } from '../../shared/schemas/encounter';
import { toFhirEncounter } from '../../shared/domain/fhir';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { encounterFor } from '../../shared/care/access/visible-records';

/** GET /v1/fhir/Encounter/{id}: the encounter as a FHIR R4 Encounter resource, rendered from what the caller may see of it. */
export const handler = httpRoute({ params: encounterParams }, async ({ params, caller, ports }) => {
  const encounter = await encounterFor(ports, caller, params.id);
  return json(200, toFhirEncounter(minimumNecessary(encounter, caller.roles)), { 'content-type': 'application/fhir+json' });
});
