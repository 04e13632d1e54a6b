import { arrangeTransport } from '../../shared/domain/transfers';
import { recorderOf } from '../../shared/http/caller';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { transferParams, transferTransportBody } from '../../shared/schemas/transfers';
import { changeTransferFor, transferView } from '../../shared/care/transfers/changes';

/** PUT /v1/encounters/{id}/transfers/{transferId}/transport: the transport booked for an accepted transfer. */
export const handler = httpRoute({ params: transferParams, body: transferTransportBody }, async ({ params, body, caller, ports }) => {
  const stored = await changeTransferFor(ports, caller, params.id, params.transferId, (transfer) =>
    arrangeTransport(transfer, { ...body, recorder: recorderOf(caller) }, ports.now()),
  );
  return json(200, transferView(stored));
});
