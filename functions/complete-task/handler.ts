import { dischargeOrderData, taskDataSchemas } from '../../shared/schemas/task-data';
import { recordDischarge } from '../../shared/domain/discharge';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/domain/errors';
import { mayComplete, rolesCompleting } from '../../shared/domain/access';
import { ForbiddenError, recorderOf, visibleTo, type Caller } from '../../shared/http/caller';
import { assertOpen } from '../../shared/domain/tasks';
import { json } from '../../shared/http/responses';
import { httpRoute, zodIssues } from '../../shared/http/route';
import { sfnClient } from '../../shared/store/clients';
import { executionStatus } from '../../shared/store/workflow-status';
import { canStillAnswer, notRunningMessage, orphanedTaskAttention } from '../../shared/domain/workflow-liveness';
import { openOperatorTask, type OperatorTaskRequest } from '../../shared/care/operations/operator-task';
import type { EncounterStore } from '../../shared/store/encounter-store';
import type { TaskStore } from '../../shared/store/task-store';
import { completeTaskBody, completeTaskParams, type CompleteTaskBody } from '../../shared/schemas/task-completion';

export interface CompleteTaskDeps {
  tasks: TaskStore;
  encounters: EncounterStore;
  now: () => Date;
  /** The waiting execution's status (DescribeExecution; NOT_FOUND when Step Functions does not know it). */
  executionStatus: (executionArn: string) => Promise<string>;
  /** Opens (once) the operators' task for a completion no execution can take. */
  openOperatorTask: (request: OperatorTaskRequest) => Promise<unknown>;
}

/**
 * POST /v1/tasks/{taskId}/complete. The conditional open → completed write decides who wins a
 * race, and is the only thing this request does: the table stream then resumes the waiting
 * workflow (an outbox), so a crash here can never leave a completed task with a stuck execution,
 * and an execution is never resumed twice. Before it, a task that resumes a workflow asks whether
 * that execution still runs: if not (stopped, failed, timed out, or forgotten), the completion
 * could only be recorded and go nowhere, so it is 409 naming why, the task stays open (a redrive
 * re-enters the waiting state and refreshes the same task's token), and the operators get one
 * task per orphaned task however often the person retries (issue 17 item 7).
 */
export async function completeTask(caller: Caller, taskId: string, body: CompleteTaskBody, deps: CompleteTaskDeps) {
  const stored = await deps.tasks.get(taskId);
  const task = visibleTo(caller, stored?.task, () => new NotFoundError(`Task ${taskId} not found`));
  if (!mayComplete(caller.roles, task.ownerRole)) {
    throw new ForbiddenError(
      `A ${task.type} task is completed by ${rolesCompleting(task.ownerRole).join(' or ')}; the token grants ${caller.roles.join(', ')}`,
    );
  }
  assertOpen(task);
  const data = taskDataSchemas[task.type].safeParse(body.data ?? {});
  if (!data.success) {
    throw new ValidationError(`The data is not valid for a ${task.type} task`, zodIssues(data.error, 'data'));
  }
  const now = deps.now();
  if (task.type === 'discharge-order') {
    // Refuse an impossible order now, while the physician is still there to correct it.
    recordDischarge(await deps.encounters.mustGet(task.encounterId), dischargeOrderData.parse(data.data), now);
  }
  // Tasks opened before the execution was kept beside the token go on to the stream, which flags them there.
  const executionArn = stored?.executionArn;
  if (task.resumesWorkflow && executionArn) {
    const status = await deps.executionStatus(executionArn);
    if (!canStillAnswer(status)) {
      await deps.openOperatorTask({ encounterId: task.encounterId, executionArn, ...orphanedTaskAttention(task, status, false) });
      throw new ConflictError(notRunningMessage(status));
    }
  }
  return deps.tasks.complete(task, {
    outcome: body.outcome,
    data: data.data,
    completedAt: now.toISOString(),
    completedBy: recorderOf(caller),
  });
}

export const handler = httpRoute({ params: completeTaskParams, body: completeTaskBody }, async ({ params, body, caller, ports }) => {
  return json(
    200,
    await completeTask(caller, params.taskId, body, {
      tasks: ports.tasks,
      encounters: ports.encounters,
      now: ports.now,
      executionStatus: (executionArn) => executionStatus(sfnClient(), executionArn),
      openOperatorTask: (request) => openOperatorTask(request, ports),
    }),
  );
});
