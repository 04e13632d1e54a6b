import type * as z from 'zod';
import { assertNotCancelled } from '../../shared/domain/transfers';
import type { StepDeps } from '../../shared/workflow/deps';
import { workflowStep } from '../../shared/workflow/step';
import { STEP_INPUTS } from '../../shared/workflow/step-inputs';
import { storeTransitionRecord } from '../../shared/care/discharge/transition-record';

const input = STEP_INPUTS['send-transfer-records'];

/** State "Send records to the receiving facility": the transition record for the accepting facility and the PCP. */
export async function sendTransferRecords(event: z.infer<typeof input>, deps: StepDeps) {
  const { transfer } = await deps.transfers.mustGet(event.encounterId, event.transferId);
  assertNotCancelled(transfer);
  const receiving = transfer.candidates.find((c) => c.status === 'accepted')?.providerId;
  const record = await storeTransitionRecord(event.encounterId, receiving, deps);
  await deps.transfers.change(event.encounterId, event.transferId, ({ transfer: current }) => {
    assertNotCancelled(current);
    return current.recordsSentAt ? undefined : { transfer: { ...current, recordsSentAt: deps.now().toISOString() } };
  });
  return { recipients: record.recipients.length };
}

export const handler = workflowStep(input, sendTransferRecords);
