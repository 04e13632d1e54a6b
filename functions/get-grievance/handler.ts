import { NotFoundError } from '../../shared/domain/errors';
import { executionArnOf } from '../../shared/domain/workflows';
import { stateMachineArn } from '../../shared/env';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { sfnClient } from '../../shared/store/clients';
import { keys } from '../../shared/store/keys';
import { grievanceParams } from '../../shared/schemas/grievances';
import { encounterFor } from '../../shared/care/access/visible-records';
import { describeWorkflow } from '../../shared/store/workflow-status';

/** GET /v1/encounters/{id}/grievances/{grievanceId}: the grievance, its deadlines, notes, QIO referral, decision and workflow. */
export const handler = httpRoute({ params: grievanceParams }, async ({ params, caller, ports }) => {
  await encounterFor(ports, caller, params.id);
  const stored = await ports.grievances.get(keys.grievance(params.id, params.grievanceId));
  if (!stored) throw new NotFoundError(`Grievance ${params.grievanceId} not found`);
  const workflow = await describeWorkflow(sfnClient(), executionArnOf(stateMachineArn('grievance'), stored.record.executionName));
  return json(200, { ...stored.record, workflow });
});
