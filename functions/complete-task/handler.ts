import { SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { ConflictError, ServiceUnavailableError, ValidationError } from '../../shared/domain/errors';
import { recordDischarge } from '../../shared/domain/discharge';
import { assertOpen } from '../../shared/domain/tasks';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { logger } from '../../shared/observability/logger';
import { taskDataSchemas, type TaskCompletionOutput } from '../../shared/schemas/task-data';
import { stores } from '../../shared/store';
import { sfnClient } from '../../shared/store/clients';
import type { EncounterStore } from '../../shared/store/encounter-store';
import type { TaskStore } from '../../shared/store/task-store';
import { completeTaskBody, completeTaskParams, type CompleteTaskBody } from './schema';

export interface CompleteTaskDeps {
  tasks: TaskStore;
  encounters: EncounterStore;
  sfn: SFNClient;
  now: () => Date;
}

/** Token errors meaning the waiting state is gone for good: retrying cannot help. */
const ENDED_STEP_ERRORS = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

/**
 * POST /v1/tasks/{taskId}/complete. The conditional open → completed write decides who wins a
 * race; only the winner resumes the workflow, so an execution is never resumed twice.
 */
export async function completeTask(taskId: string, body: CompleteTaskBody, deps: CompleteTaskDeps) {
  const { task, taskToken } = await deps.tasks.mustGet(taskId);
  assertOpen(task);
  const data = taskDataSchemas[task.type].safeParse(body.data ?? {});
  if (!data.success) {
    throw new ValidationError(
      `The data is not valid for a ${task.type} task`,
      data.error.issues.map((issue) => ({ field: ['data', ...issue.path.map(String)].join('.'), reason: issue.message })),
    );
  }
  if (task.type === 'discharge-order') {
    // Reject an impossible order now, while the physician is still there to correct it.
    recordDischarge(await deps.encounters.mustGet(task.encounterId), data.data, deps.now());
  }
  const completedAt = deps.now().toISOString();
  const completed = await deps.tasks.complete(task, { outcome: body.outcome, data: data.data, completedAt });
  if (!task.resumesWorkflow || !taskToken) return completed;

  const output: TaskCompletionOutput = { taskId, outcome: body.outcome, data: data.data };
  try {
    await deps.sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
    return completed;
  } catch (error) {
    const name = (error as Error).name;
    if (ENDED_STEP_ERRORS.has(name)) {
      await deps.tasks.cancel(task, 'workflow step ended before the task was completed', completedAt);
      throw new ConflictError(`The workflow step for task ${taskId} has already ended; the task was cancelled`);
    }
    logger.warn('Resuming the workflow failed; task reopened', { taskId, errorName: name });
    await deps.tasks.reopen(task, completedAt);
    throw new ServiceUnavailableError('Could not resume the workflow; the task is still open, retry');
  }
}

export const handler = httpRoute({ params: completeTaskParams, body: completeTaskBody }, async ({ params, body }) => {
  const { tasks, encounters } = stores();
  const task = await completeTask(params.taskId, body, { tasks, encounters, sfn: sfnClient(), now: () => new Date() });
  return json(200, task);
});
