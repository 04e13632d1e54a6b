import { z } from 'zod';
import { NotFoundError } from '../../shared/domain/errors';
import { visibleTo } from '../../shared/http/caller';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { stores } from '../../shared/store';
import { sfnClient } from '../../shared/store/clients';
import { describeWorkflow } from '../../shared/store/workflow-status';

const params = z.object({ id: z.uuid('must be an encounter id (UUID)') });

/** GET /v1/encounters/{id}: the encounter, where it is in its journey, and its workflow. */
export const handler = httpRoute({ params }, async ({ params, caller }) => {
  const encounter = visibleTo(caller, await stores().encounters.get(params.id), () => new NotFoundError(`Encounter ${params.id} not found`));
  const { executionArn, ...rest } = encounter;
  const workflow = executionArn ? await describeWorkflow(sfnClient(), executionArn) : null;
  return json(200, { ...rest, workflow });
});
