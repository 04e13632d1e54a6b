import { SendTaskFailureCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { CareTask } from '../../shared/domain/tasks';
import { logger } from '../../shared/observability/logger';
import { completionOutputOf } from '../../shared/schemas/task-data';
import type { TaskStore } from '../../shared/store/task-store';

/** Token errors meaning Step Functions is not waiting on this token any more. */
const NOT_WAITING = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

/**
 * Hands an answer to the execution waiting on `taskToken`: `delivered`, or `not-waiting` when it
 * was stopped, timed out, or (after a crash between send and mark) already resumed.
 */
export async function deliverToWaitingExecution(sfn: SFNClient, taskToken: string, output: unknown, ids: Record<string, string>): Promise<'delivered' | 'not-waiting'> {
  return unlessNotWaiting(() => sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) })), ids);
}

/** The same for an outcome the waiting state must Catch (e.g. a cancel): SendTaskFailure with that error name. */
export async function failWaitingExecution(sfn: SFNClient, taskToken: string, failure: { error: string; cause: string }, ids: Record<string, string>): Promise<'delivered' | 'not-waiting'> {
  return unlessNotWaiting(() => sfn.send(new SendTaskFailureCommand({ taskToken, ...failure })), ids);
}

async function unlessNotWaiting(send: () => Promise<unknown>, ids: Record<string, string>): Promise<'delivered' | 'not-waiting'> {
  try {
    await send();
    return 'delivered';
  } catch (error) {
    const name = (error as Error).name;
    if (!NOT_WAITING.has(name)) throw error;
    logger.warn('Workflow was not waiting for this answer', { ...ids, errorName: name });
    return 'not-waiting';
  }
}

/**
 * A completed task whose resume is pending hands its outcome to the waiting execution. This is
 * the outbox half of completing a task: the API records the completion, the stream guarantees
 * the resume (retried until delivered). Only ids and the outcome go to Step Functions; the
 * steps read the person's data from the task record, so no free text lands in execution history.
 */
export async function resumeWorkflow(task: CareTask, taskToken: string | undefined, deps: { sfn: SFNClient; tasks: TaskStore }): Promise<void> {
  if (task.status !== 'completed' || task.resume !== 'pending' || !taskToken) return;
  const output = completionOutputOf(task);
  await deps.tasks.markResume(task.taskId, await deliverToWaitingExecution(deps.sfn, taskToken, output, { taskId: task.taskId }));
}
