import { NotFoundError } from '../../domain/errors';
import type { Transfer } from '../../domain/transfers';
import type { Caller } from '../../http/caller';
import type { Ports } from '../ports';
import type { StoredTransfer } from '../../store/transfer-store';
import { encounterFor } from '../access/visible-records';

/**
 * A change to a transfer through the API, by someone who may see its encounter: applied over
 * the version read (re-read on a lost race), and marked for the stream to hand to the waiting
 * execution (`resume: pending`), so a crash after this write still resumes it.
 */
export async function changeTransferFor(
  ports: Pick<Ports, 'encounters' | 'transfers'>,
  caller: Caller,
  encounterId: string,
  transferId: string,
  change: (transfer: Transfer) => Transfer,
): Promise<StoredTransfer> {
  await encounterFor(ports, caller, encounterId);
  const { transfers } = ports;
  if (!(await transfers.get(encounterId, transferId))) throw new NotFoundError(`Transfer ${transferId} not found`);
  return transfers.change(encounterId, transferId, ({ transfer }) => {
    const next = change(transfer);
    if (next === transfer) return undefined;
    return { transfer: { ...next, resume: 'pending', awaiting: undefined } };
  });
}

/** The transfer as the API shows it (the task token stays inside). */
export const transferView = ({ transfer }: StoredTransfer) => transfer;
