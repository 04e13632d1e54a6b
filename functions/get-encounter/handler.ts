import { encounterParams } from '../../shared/schemas/encounter';
import { json } from '../../shared/http/responses';
import { etag } from '../../shared/http/etag';
import { httpRoute } from '../../shared/http/route';
import { encounterFor } from '../../shared/store/visible-records';
import { sfnClient } from '../../shared/store/clients';
import { describeWorkflow } from '../../shared/store/workflow-status';

/** GET /v1/encounters/{id}: the encounter, where it is in its journey, and its workflow. */
export const handler = httpRoute({ params: encounterParams }, async ({ params, caller }) => {
  const encounter = await encounterFor(caller, params.id);
  const { executionArn, ...rest } = encounter;
  const workflow = executionArn ? await describeWorkflow(sfnClient(), executionArn) : null;
  return json(200, { ...rest, workflow }, { etag: etag(encounter.version) });
});
