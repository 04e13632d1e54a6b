import { SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type * as z from 'zod';
import { assertNotCancelled, transferProgress, type Transfer } from '../../shared/domain/transfers';
import { sfnClient } from '../../shared/store/clients';
import type { StepDeps } from '../../shared/workflow/deps';
import { workflowStep } from '../../shared/workflow/step';
import { STEP_INPUTS } from '../../shared/workflow/step-inputs';

const input = STEP_INPUTS['await-transfer'];

/** Whether what this state waits for has already happened (a retried state after the answer came). */
const alreadyDone = (transfer: Transfer, awaiting: z.infer<typeof input>['awaiting']) =>
  awaiting === 'answer'
    ? !transfer.candidates.some((c) => c.status === 'asked')
    : awaiting === 'transport'
      ? transfer.transport !== undefined
      : transfer.arrivedAt !== undefined;

/**
 * States "Await receiving facility's answer", "Await transport arrangement" and "Await arrival
 * at the receiving facility": the transfer holds the task token until the API records the
 * answer, the transport or the arrival (the stream then resumes the execution) or a cancel
 * (the stream fails it with TransferCancelled). A cancel that came first fails the state at once.
 */
export async function awaitTransfer(event: z.infer<typeof input>, deps: StepDeps & { sfn: SFNClient }) {
  let done: Transfer | undefined;
  await deps.transfers.change(event.encounterId, event.transferId, ({ transfer }) => {
    assertNotCancelled(transfer);
    if (alreadyDone(transfer, event.awaiting)) {
      done = transfer;
      return undefined;
    }
    return { transfer: { ...transfer, awaiting: event.awaiting, resume: undefined }, taskToken: event.taskToken };
  });
  if (done) await deps.sfn.send(new SendTaskSuccessCommand({ taskToken: event.taskToken, output: JSON.stringify(transferProgress(done)) }));
  return { awaiting: event.awaiting };
}

export const handler = workflowStep(input, (event, deps) => awaitTransfer(event, { ...deps, sfn: sfnClient() }));
