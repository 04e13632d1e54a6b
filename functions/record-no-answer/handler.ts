import type * as z from 'zod';
import { answer, assertNotCancelled } from '../../shared/domain/transfers';
import type { StepDeps } from '../../shared/workflow/deps';
import { workflowStep } from '../../shared/workflow/step';
import { STEP_INPUTS } from '../../shared/workflow/step-inputs';

const input = STEP_INPUTS['record-no-answer'];

/** State "Receiving facility did not answer in time": the asked facility is marked timed out (its request withdrawn). */
export async function recordNoAnswer(event: z.infer<typeof input>, deps: StepDeps) {
  await deps.transfers.change(event.encounterId, event.transferId, ({ transfer }) => {
    assertNotCancelled(transfer);
    const asked = transfer.candidates.find((c) => c.status === 'asked');
    if (!asked) return undefined;
    return { transfer: { ...answer(transfer, asked.providerId, 'timed-out', 'No answer in time', deps.now()), awaiting: undefined } };
  });
  return {};
}

export const handler = workflowStep(input, recordNoAnswer);
