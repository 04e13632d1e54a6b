import { requestCancel } from '../../shared/domain/transfers';
import { recorderOf } from '../../shared/http/caller';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { cancelTransferBody, transferParams } from '../../shared/schemas/transfers';
import { changeTransferFor, transferView } from '../../shared/care/transfers/changes';

/**
 * POST /v1/encounters/{id}/transfers/{transferId}/cancel: accepted at any point before arrival;
 * the workflow then compensates (releases the bed, cancels transport). 202: the compensation
 * follows; GET the transfer to see what was undone. Cancelling twice is harmless.
 */
export const handler = httpRoute({ params: transferParams, body: cancelTransferBody }, async ({ params, body, caller, ports }) => {
  const stored = await changeTransferFor(ports, caller, params.id, params.transferId, (transfer) =>
    requestCancel(transfer, { ...body, recorder: recorderOf(caller) }, ports.now()),
  );
  return json(202, transferView(stored));
});
