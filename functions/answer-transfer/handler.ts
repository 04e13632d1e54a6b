import { answer } from '../../shared/domain/transfers';
import { recorderOf } from '../../shared/http/caller';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { transferAnswerBody, transferParams } from '../../shared/schemas/transfers';
import { changeTransferFor, transferView } from '../../shared/care/transfers/changes';

/** POST /v1/encounters/{id}/transfers/{transferId}/answer: the asked facility accepts the bed request or declines it with a reason. */
export const handler = httpRoute({ params: transferParams, body: transferAnswerBody }, async ({ params, body, caller, ports }) => {
  const reason = body.decision === 'decline' ? body.reason : undefined;
  const stored = await changeTransferFor(ports, caller, params.id, params.transferId, (transfer) =>
    answer(transfer, body.providerId, body.decision, reason, ports.now(), { answeredBy: body.answeredBy, recorder: recorderOf(caller) }),
  );
  return json(200, transferView(stored));
});
