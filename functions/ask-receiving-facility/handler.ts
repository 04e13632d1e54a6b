import type * as z from 'zod';
import { askNext, assertNotCancelled } from '../../shared/domain/transfers';
import type { StepDeps } from '../../shared/workflow/deps';
import { workflowStep } from '../../shared/workflow/step';
import { STEP_INPUTS } from '../../shared/workflow/step-inputs';

const input = STEP_INPUTS['ask-receiving-facility'];

/**
 * State "Ask the next receiving facility": the first facility on the list not yet asked. A retry
 * finds the one it asked and asks no other.
 */
export async function askReceivingFacility(event: z.infer<typeof input>, deps: StepDeps) {
  let asked: { providerId: string; name: string } | undefined;
  await deps.transfers.change(event.encounterId, event.transferId, ({ transfer }) => {
    assertNotCancelled(transfer);
    asked = transfer.candidates.find((c) => c.status === 'asked');
    if (asked) return undefined;
    const next = askNext(transfer, deps.now());
    asked = next.candidate;
    return { transfer: next.transfer };
  });
  return asked ? { asked: true, providerId: asked.providerId, name: asked.name } : { asked: false };
}

export const handler = workflowStep(input, askReceivingFacility);
