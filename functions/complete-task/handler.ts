import { dischargeOrderData, taskDataSchemas } from '../../shared/schemas/task-data';
import { recordDischarge } from '../../shared/domain/discharge';
import { NotFoundError, ValidationError } from '../../shared/domain/errors';
import { mayComplete, rolesCompleting } from '../../shared/domain/access';
import { ForbiddenError, recorderOf, visibleTo, type Caller } from '../../shared/http/caller';
import { assertOpen } from '../../shared/domain/tasks';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { stores } from '../../shared/store';
import type { EncounterStore } from '../../shared/store/encounter-store';
import type { TaskStore } from '../../shared/store/task-store';
import { completeTaskBody, completeTaskParams, type CompleteTaskBody } from './schema';

export interface CompleteTaskDeps {
  tasks: TaskStore;
  encounters: EncounterStore;
  now: () => Date;
}

/**
 * POST /v1/tasks/{taskId}/complete. The conditional open → completed write decides who wins a
 * race, and is the only thing this request does: the table stream then resumes the waiting
 * workflow (an outbox), so a crash here can never leave a completed task with a stuck execution,
 * and an execution is never resumed twice.
 */
export async function completeTask(caller: Caller, taskId: string, body: CompleteTaskBody, deps: CompleteTaskDeps) {
  const task = visibleTo(caller, (await deps.tasks.get(taskId))?.task, () => new NotFoundError(`Task ${taskId} not found`));
  if (!mayComplete(caller.roles, task.ownerRole)) {
    throw new ForbiddenError(`A ${task.type} task is completed by ${rolesCompleting(task.ownerRole).join(' or ')}; the token grants ${caller.roles.join(', ')}`);
  }
  assertOpen(task);
  const data = taskDataSchemas[task.type].safeParse(body.data ?? {});
  if (!data.success) {
    throw new ValidationError(
      `The data is not valid for a ${task.type} task`,
      data.error.issues.map((issue) => ({ field: ['data', ...issue.path.map(String)].join('.'), reason: issue.message })),
    );
  }
  const now = deps.now();
  if (task.type === 'discharge-order') {
    // Refuse an impossible order now, while the physician is still there to correct it.
    recordDischarge(await deps.encounters.mustGet(task.encounterId), dischargeOrderData.parse(data.data), now);
  }
  return deps.tasks.complete(task, { outcome: body.outcome, data: data.data, completedAt: now.toISOString(), completedBy: recorderOf(caller) });
}

export const handler = httpRoute({ params: completeTaskParams, body: completeTaskBody }, async ({ params, body, caller }) => {
  const { tasks, encounters } = stores();
  return json(200, await completeTask(caller, params.taskId, body, { tasks, encounters, now: () => new Date() }));
});
