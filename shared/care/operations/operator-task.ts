import { hoursFrom, newTask } from '../../domain/tasks';
import { stableId } from '../../ids';
import type { StepDeps } from '../../workflow/deps';

export interface OperatorTaskRequest {
  encounterId: string;
  executionArn: string;
  /** The state the execution stopped in ("Needs attention: …", or the step that failed). */
  state: string;
  /** Why the execution stopped, as operators read it. */
  reason: string;
  /** The error's name only: a Cause can quote execution data. */
  errorName?: string;
  /** A redriven execution that stops again gets a new task, not the one already dealt with. */
  redriveCount?: number;
}

/**
 * An urgent task for the operators naming the execution, the state, why it stopped and the
 * error, so no stop is silent. One task per execution, state and run: opened twice (a retried
 * step, a redelivered event), it is opened once.
 */
export async function openOperatorTask(request: OperatorTaskRequest, deps: StepDeps) {
  const encounter = await deps.encounters.mustGet(request.encounterId);
  const now = deps.now();
  const run = request.redriveCount ? [`redrive-${request.redriveCount}`] : [];
  const task = newTask(
    {
      taskId: stableId(request.executionArn, 'needs-attention', request.state, ...run),
      facilityId: encounter.facilityId,
      encounterId: encounter.encounterId,
      type: 'needs-attention',
      priority: 'urgent',
      dueAt: hoursFrom(now, 4),
      resumesWorkflow: false,
      details: [
        request.reason,
        `Execution: ${request.executionArn.split(':').at(-1)}`,
        ...(request.errorName ? [`Error: ${request.errorName}`] : []),
      ],
    },
    now,
  );
  await deps.tasks.openOnce(task);
  return { taskId: task.taskId };
}
