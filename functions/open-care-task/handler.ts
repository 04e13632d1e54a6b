import { SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type * as z from 'zod';
import { ConflictError } from '../../shared/domain/errors';
import { completionOutputOf, type TaskCompletionOutput } from '../../shared/schemas/task-data';
import { sfnClient } from '../../shared/store/clients';
import { hoursFrom, newTask } from '../../shared/domain/tasks';
import { stableId } from '../../shared/ids';
import type { StepDeps } from '../../shared/workflow/deps';
import { workflowStep } from '../../shared/workflow/step';
import { STEP_INPUTS } from '../../shared/workflow/step-inputs';

const input = STEP_INPUTS['open-care-task'];

/**
 * Every "Await …" state: opens the person's task holding the task token, then the execution
 * waits until the task is completed through the API (SendTaskSuccess). The task id is derived
 * from execution and type, so a retried state refreshes the same task instead of adding one.
 */
const taskIdOf = (event: { executionArn: string; taskType: string; round?: string | undefined }) =>
  event.round ? stableId(event.executionArn, event.taskType, event.round) : stableId(event.executionArn, event.taskType);

export async function openCareTask(event: z.infer<typeof input>, deps: StepDeps & { sfn: SFNClient }) {
  const encounter = await deps.encounters.mustGet(event.encounterId);
  const now = deps.now();
  if (encounter.discharge) {
    // Discharged already (ADT A03 arrived first): nobody needs this task; move on at once.
    const output: TaskCompletionOutput = { taskId: taskIdOf(event), outcome: 'discharged' };
    await deps.sfn.send(new SendTaskSuccessCommand({ taskToken: event.taskToken, output: JSON.stringify(output) }));
    return { taskId: output.taskId, skipped: 'discharged' };
  }
  const task = newTask(
    {
      taskId: taskIdOf(event),
      facilityId: encounter.facilityId,
      encounterId: encounter.encounterId,
      type: event.taskType,
      priority: event.priority,
      dueAt: hoursFrom(now, event.dueInHours),
      resumesWorkflow: true,
      ...(event.details ? { details: event.details } : {}),
    },
    now,
  );
  try {
    // The execution is kept beside the token: a completion first asks whether it still runs.
    await deps.tasks.open(task, event.taskToken, event.executionArn);
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    // A retry of this state after the person already completed the task: the completion was
    // sent to the previous token, so hand it to this one.
    const { task: stored } = await deps.tasks.mustGet(task.taskId);
    if (stored.status !== 'completed') throw error;
    // (Also how "Await physician's discharge order" goes on at once when planning comes back to
    // it after re-planning for the ordered path: the order already given stands.)
    const output = completionOutputOf(stored);
    await deps.sfn.send(new SendTaskSuccessCommand({ taskToken: event.taskToken, output: JSON.stringify(output) }));
  }
  return { taskId: task.taskId, dueAt: task.dueAt };
}

export const handler = workflowStep(input, (event, deps) => openCareTask(event, { ...deps, sfn: sfnClient() }));
