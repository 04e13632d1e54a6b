import type { SFNClient } from '@aws-sdk/client-sfn';
import { transferProgress, type Transfer } from '../../domain/transfers';
import type { Stores } from '../../store';
import { deliverToWaitingExecution, failWaitingExecution } from './resume-workflow';
import { startExecutionOnce } from './start-execution-once';

/** A stored transfer request starts its execution (named by the request, so a stream retry starts nothing twice). */
export async function startTransfer(
  transfer: Transfer,
  deps: { sfn: SFNClient; stateMachineArn: string; now?: () => Date },
): Promise<void> {
  await startExecutionOnce(deps, transfer.executionName, { encounterId: transfer.encounterId, transferId: transfer.transferId });
}

/**
 * A transfer changed through the API (`resume: pending`): the waiting state gets the answer,
 * the transport or the arrival; after a cancel it fails with TransferCancelled, which every
 * state catches into the compensation.
 */
export async function resumeTransfer(
  transfer: Transfer,
  taskToken: string | undefined,
  deps: { sfn: SFNClient; transfers: Stores['transfers'] },
): Promise<void> {
  if (transfer.resume !== 'pending' || !taskToken) return;
  const ids = { transferId: transfer.transferId };
  const outcome = transfer.cancel
    ? await failWaitingExecution(
        deps.sfn,
        taskToken,
        { error: 'TransferCancelled', cause: 'The transfer was cancelled through the API' },
        ids,
      )
    : await deliverToWaitingExecution(deps.sfn, taskToken, transferProgress(transfer), ids);
  await deps.transfers.markResume(transfer.encounterId, transfer.transferId, outcome);
}
