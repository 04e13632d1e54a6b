import { minimumNecessary } from '../../shared/domain/access';
import { encounterParams } from '../../shared/schemas/encounter';
import { executionArnOf, followUpExecutionName } from '../../shared/domain/workflows';
import { stateMachineArn } from '../../shared/env';
import { json } from '../../shared/http/responses';
import { etag } from '../../shared/http/etag';
import { httpRoute } from '../../shared/http/route';
import { encounterFor } from '../../shared/care/access/visible-records';
import { sfnClient } from '../../shared/store/clients';
import { describeWorkflow } from '../../shared/store/workflow-status';

/**
 * GET /v1/encounters/{id}: the encounter, where it is in its journey, its discharge-planning
 * workflow and, once discharged, its post-discharge follow-up workflow. Its clinical parts only
 * for callers who may read the clinical record.
 */
export const handler = httpRoute({ params: encounterParams }, async ({ params, caller, ports }) => {
  const encounter = await encounterFor(ports, caller, params.id);
  const { executionArn, ...rest } = encounter;
  const [workflow, followUpWorkflow] = await Promise.all([
    executionArn ? describeWorkflow(sfnClient(), executionArn) : null,
    encounter.discharge
      ? describeWorkflow(
          sfnClient(),
          executionArnOf(
            stateMachineArn('post-discharge-follow-up'),
            followUpExecutionName(encounter.encounterId, encounter.planningRun ?? 1),
          ),
        )
      : null,
  ]);
  return json(200, { ...minimumNecessary(rest, caller.roles), workflow, followUpWorkflow }, { etag: etag(encounter.version) });
});
