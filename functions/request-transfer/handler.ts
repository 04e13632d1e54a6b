import { ConflictError } from '../../shared/domain/errors';
import { POST_ACUTE_DIRECTORY } from '../../shared/domain/post-acute-directory';
import { isOpen, newTransfer } from '../../shared/domain/transfers';
import { transferExecutionName } from '../../shared/domain/workflows';
import { recorderOf } from '../../shared/http/caller';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { stableId } from '../../shared/ids';
import { encounterParams } from '../../shared/schemas/encounter';
import { requestTransferBody } from '../../shared/schemas/transfers';
import { encounterFor } from '../../shared/care/access/visible-records';

/**
 * POST /v1/encounters/{id}/transfers: a transfer to another inpatient facility, asking the
 * receiving facilities in the order given. Stored here; the table stream starts its execution
 * (`transfer-<encounter>-<n>`), so an accepted request always gets one. One open transfer per stay.
 */
export const handler = httpRoute({ params: encounterParams, body: requestTransferBody }, async ({ params, body, caller, ports }) => {
  const encounter = await encounterFor(ports, caller, params.id);
  if (encounter.discharge || encounter.status === 'cancelled')
    throw new ConflictError(`Encounter ${encounter.encounterId} is ${encounter.status}: no transfer`);
  const { transfers } = ports;
  const earlier = await transfers.list(encounter.encounterId);
  const open = earlier.find(isOpen);
  if (open) throw new ConflictError(`Transfer ${open.transferId} is still open; cancel it first`);
  const n = earlier.length + 1;
  const transfer = newTransfer(
    {
      transferId: stableId(encounter.encounterId, 'transfer', String(n)),
      encounterId: encounter.encounterId,
      facilityId: encounter.facilityId,
      patientId: encounter.patientId,
      executionName: transferExecutionName(encounter.encounterId, n),
      reason: body.reason,
      requestedBy: body.requestedBy,
      by: recorderOf(caller),
      receivingFacilities: body.receivingFacilities,
    },
    POST_ACUTE_DIRECTORY,
    ports.now(),
  );
  if (!(await transfers.create(transfer)))
    throw new ConflictError('Another transfer was requested at the same moment; read the transfers and try again');
  return json(201, transfer, { location: `/v1/encounters/${encounter.encounterId}/transfers/${transfer.transferId}` });
});
