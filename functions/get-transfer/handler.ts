import { NotFoundError } from '../../shared/domain/errors';
import { executionArnOf } from '../../shared/domain/workflows';
import { stateMachineArn } from '../../shared/env';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { sfnClient } from '../../shared/store/clients';
import { transferParams } from '../../shared/schemas/transfers';
import { encounterFor } from '../../shared/care/access/visible-records';
import { describeWorkflow } from '../../shared/store/workflow-status';

/** GET /v1/encounters/{id}/transfers/{transferId}: each facility asked and its answer, transport, arrival or cancel, and the workflow. */
export const handler = httpRoute({ params: transferParams }, async ({ params, caller, ports }) => {
  await encounterFor(ports, caller, params.id);
  const stored = await ports.transfers.get(params.id, params.transferId);
  if (!stored) throw new NotFoundError(`Transfer ${params.transferId} not found`);
  const workflow = await describeWorkflow(sfnClient(), executionArnOf(stateMachineArn('transfer'), stored.transfer.executionName));
  return json(200, { ...stored.transfer, workflow });
});
