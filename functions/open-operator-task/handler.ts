import { openOperatorTask } from '../../shared/care/operations/operator-task';
import { workflowStep } from '../../shared/workflow/step';
import { STEP_INPUTS } from '../../shared/workflow/step-inputs';

const input = STEP_INPUTS['open-operator-task'];

/** Every "Needs attention: …" state of every workflow: the operator task saying why it stopped. */
export const handler = workflowStep(input, (event, deps) =>
  openOperatorTask(
    {
      encounterId: event.encounterId,
      executionArn: event.executionArn,
      state: event.state,
      reason: event.reason,
      ...(event.error?.Error ? { errorName: event.error.Error } : {}),
    },
    deps,
  ),
);
