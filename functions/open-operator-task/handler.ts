import { z } from 'zod';
import { newTask, hoursFrom } from '../../shared/domain/tasks';
import { stableId } from '../../shared/ids';
import { stepDeps, type StepDeps } from '../../shared/workflow/deps';
import { workflowStep } from '../../shared/workflow/step';

const input = z.object({
  encounterId: z.string().min(1),
  executionArn: z.string().min(1),
  state: z.string().min(1),
  /** Why the execution stops, as operators read it. */
  reason: z.string().min(1).max(200),
  /** The caught error, when a step failed (its name only: a Cause can quote execution data). */
  error: z.object({ Error: z.string().max(200).optional() }).passthrough().optional(),
});

/**
 * Every "Needs attention: …" state: an urgent task for the operators naming the execution, why it
 * stopped and the error, so no stop is silent. One task per execution and reason.
 */
export async function openOperatorTask(event: z.infer<typeof input>, deps: StepDeps) {
  const encounter = await deps.encounters.mustGet(event.encounterId);
  const now = deps.now();
  const task = newTask(
    {
      taskId: stableId(event.executionArn, 'needs-attention', event.state),
      facilityId: encounter.facilityId,
      encounterId: encounter.encounterId,
      type: 'needs-attention',
      priority: 'urgent',
      dueAt: hoursFrom(now, 4),
      resumesWorkflow: false,
      details: [event.reason, `Execution: ${event.executionArn.split(':').at(-1)}`, ...(event.error?.Error ? [`Error: ${event.error.Error}`] : [])],
    },
    now,
  );
  await deps.tasks.openOnce(task);
  return { taskId: task.taskId };
}

export const handler = workflowStep(input, (event) => openOperatorTask(event, stepDeps()));
