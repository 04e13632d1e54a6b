import { confirmArrival } from '../../shared/domain/transfers';
import { recorderOf } from '../../shared/http/caller';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { transferArrivalBody, transferParams } from '../../shared/schemas/transfers';
import { changeTransferFor, transferView } from '../../shared/care/transfers/changes';

/** POST /v1/encounters/{id}/transfers/{transferId}/arrival: the receiving facility confirms the patient arrived. */
export const handler = httpRoute({ params: transferParams, body: transferArrivalBody }, async ({ params, body, caller, ports }) => {
  const stored = await changeTransferFor(ports, caller, params.id, params.transferId, (transfer) =>
    confirmArrival(transfer, body.arrivedAt, ports.now(), { confirmedBy: body.confirmedBy, recorder: recorderOf(caller) }),
  );
  return json(200, transferView(stored));
});
