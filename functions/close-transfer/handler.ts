import * as z from 'zod';
import type { StepDeps } from '../../shared/workflow/deps';
import { workflowStep } from '../../shared/workflow/step';

const input = z.object({ encounterId: z.string().min(1), transferId: z.string().min(1) });

/** State "Close the transfer": nothing is awaited any more; the arrival is on record. */
export async function closeTransfer(event: z.infer<typeof input>, deps: StepDeps) {
  await deps.transfers.change(event.encounterId, event.transferId, ({ transfer }) =>
    transfer.awaiting ? { transfer: { ...transfer, awaiting: undefined } } : undefined,
  );
  return {};
}

export const handler = workflowStep(input, closeTransfer);
