import type * as z from 'zod';
import type { StepDeps } from '../../shared/workflow/deps';
import { workflowStep } from '../../shared/workflow/step';
import { STEP_INPUTS } from '../../shared/workflow/step-inputs';

const input = STEP_INPUTS['close-transfer'];

/** State "Close the transfer": nothing is awaited any more; the arrival is on record. */
export async function closeTransfer(event: z.infer<typeof input>, deps: StepDeps) {
  await deps.transfers.change(event.encounterId, event.transferId, ({ transfer }) =>
    transfer.awaiting ? { transfer: { ...transfer, awaiting: undefined } } : undefined,
  );
  return {};
}

export const handler = workflowStep(input, closeTransfer);
