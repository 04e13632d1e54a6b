import * as z from 'zod';
import { compensate } from '../../shared/domain/transfers';
import type { StepDeps } from '../../shared/workflow/deps';
import { workflowStep } from '../../shared/workflow/step';

const input = z.object({ encounterId: z.string().min(1), transferId: z.string().min(1) });

/**
 * State "Release the bed and cancel transport": the saga's compensation after a cancel. What it
 * undid is recorded (and, through the audit trail, announced); a retry undoes nothing twice.
 */
export async function compensateTransfer(event: z.infer<typeof input>, deps: StepDeps) {
  const { transfer } = await deps.transfers.change(event.encounterId, event.transferId, ({ transfer: current }) =>
    current.compensated ? undefined : { transfer: compensate(current, deps.now()) },
  );
  return transfer.compensated!;
}

export const handler = workflowStep(input, compensateTransfer);
