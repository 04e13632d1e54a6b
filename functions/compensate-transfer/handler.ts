import type * as z from 'zod';
import { compensate } from '../../shared/domain/transfers';
import type { StepDeps } from '../../shared/workflow/deps';
import { workflowStep } from '../../shared/workflow/step';
import { STEP_INPUTS } from '../../shared/workflow/step-inputs';

const input = STEP_INPUTS['compensate-transfer'];

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
