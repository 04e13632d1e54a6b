import * as z from 'zod';
import { openOperatorTask } from '../../shared/workflow/operator-task';
import { workflowStep } from '../../shared/workflow/step';

const input = z.object({
  encounterId: z.string().min(1),
  executionArn: z.string().min(1),
  state: z.string().min(1),
  reason: z.string().min(1).max(200),
  /** The caught error, when a deadline passed (its name only: a Cause can quote execution data). */
  error: z.object({ Error: z.string().max(200).optional() }).passthrough().optional(),
});

/** Every "Needs attention: …" state of every workflow: the operator task saying why it stopped. */
export const handler = workflowStep(input, (event, deps) =>
  openOperatorTask(
    { encounterId: event.encounterId, executionArn: event.executionArn, state: event.state, reason: event.reason, ...(event.error?.Error ? { errorName: event.error.Error } : {}) },
    deps,
  ),
);
