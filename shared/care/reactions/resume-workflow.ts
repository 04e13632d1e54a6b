import { SendTaskFailureCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { CareTask } from '../../domain/tasks';
import { logger } from '../../observability/logger';
import { completionOutputOf } from '../../schemas/task-data';
import type { TaskStore } from '../../store/task-store';
import { canStillAnswer, orphanedTaskAttention } from '../../domain/workflow-liveness';
import type { OperatorTaskRequest } from '../operations/operator-task';

/** Token errors meaning Step Functions is not waiting on this token any more. */
const NOT_WAITING = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

/**
 * Hands an answer to the execution waiting on `taskToken`: `delivered`, or `not-waiting` when it
 * was stopped, timed out, or (after a crash between send and mark) already resumed.
 */
export async function deliverToWaitingExecution(
  sfn: SFNClient,
  taskToken: string,
  output: unknown,
  ids: Record<string, string>,
): Promise<'delivered' | 'not-waiting'> {
  return unlessNotWaiting(() => sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) })), ids);
}

/** The same for an outcome the waiting state must Catch (e.g. a cancel): SendTaskFailure with that error name. */
export async function failWaitingExecution(
  sfn: SFNClient,
  taskToken: string,
  failure: { error: string; cause: string },
  ids: Record<string, string>,
): Promise<'delivered' | 'not-waiting'> {
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

/** What a resume needs besides Step Functions' answer: to ask after a gone execution, and to tell the operators. */
export interface ResumeDeps {
  sfn: SFNClient;
  tasks: TaskStore;
  /** The execution's status (DescribeExecution; NOT_FOUND when Step Functions does not know it). */
  executionStatus: (executionArn: string) => Promise<string>;
  openOperatorTask: (request: OperatorTaskRequest) => Promise<unknown>;
}

/**
 * A completed task whose resume is pending hands its outcome to the waiting execution. This is
 * the outbox half of completing a task: the API records the completion, the stream guarantees
 * the resume (retried until delivered). Only ids and the outcome go to Step Functions; the
 * steps read the person's data from the task record, so no free text lands in execution history.
 *
 * Not waiting any more can be benign (the execution went on without it: a discharge from the
 * ADT feed, a retry after a crash between send and mark) or the race the API's check cannot
 * close: the execution ended between that check and this send. Only the second leaves a
 * completion nobody will act on, so then the operators get the same task the API would have
 * opened (one per task), and the batch goes on.
 */
export async function resumeWorkflow(
  task: CareTask,
  stored: { taskToken?: string | undefined; executionArn?: string | undefined },
  deps: ResumeDeps,
): Promise<void> {
  const { taskToken, executionArn } = stored;
  if (task.status !== 'completed' || task.resume !== 'pending' || !taskToken) return;
  const output = completionOutputOf(task);
  const resume = await deliverToWaitingExecution(deps.sfn, taskToken, output, { taskId: task.taskId });
  if (resume === 'not-waiting' && executionArn) {
    const status = await deps.executionStatus(executionArn);
    // SUCCEEDED: it finished by another path (or took this answer before a crash); nothing waits on the operators.
    if (!canStillAnswer(status) && status !== 'SUCCEEDED') {
      await deps.openOperatorTask({ encounterId: task.encounterId, executionArn, ...orphanedTaskAttention(task, status, true) });
    }
  }
  await deps.tasks.markResume(task.taskId, resume);
}
