import { z } from 'zod';
import { businessDaysAfter } from '../../shared/domain/business-days';
import { FOLLOW_UP_CONTACT_BUSINESS_DAYS } from '../../shared/domain/discharge';
import { ConflictError } from '../../shared/domain/errors';
import { newTask } from '../../shared/domain/tasks';
import { stableId } from '../../shared/ids';
import { stepDeps, type StepDeps } from '../../shared/workflow/deps';
import { workflowStep } from '../../shared/workflow/step';

const input = z.object({ encounterId: z.string().min(1), executionArn: z.string().min(1) });

/**
 * State "Schedule follow-up contact": a care-manager task due by the end of the second business
 * day after discharge (TCM interactive contact). It does not pause the workflow.
 */
export async function scheduleFollowUp(event: z.infer<typeof input>, deps: StepDeps) {
  const encounter = await deps.encounters.mustGet(event.encounterId);
  if (!encounter.discharge) throw new ConflictError(`Encounter ${encounter.encounterId} is not discharged`);
  const now = deps.now();
  const dueAt = businessDaysAfter(new Date(encounter.discharge.dischargedAt), FOLLOW_UP_CONTACT_BUSINESS_DAYS);
  const task = newTask(
    {
      taskId: stableId(event.executionArn, 'follow-up-contact'),
      facilityId: encounter.facilityId,
      encounterId: encounter.encounterId,
      type: 'follow-up-contact',
      priority: 'urgent',
      dueAt: dueAt.toISOString(),
      resumesWorkflow: false,
    },
    now,
  );
  if (encounter.followUpTaskId !== task.taskId) {
    await deps.tasks.open(task);
    await deps.encounters.update(encounter, { fields: { followUpTaskId: task.taskId } }, now);
  }
  return { taskId: task.taskId, dueAt: task.dueAt };
}

export const handler = workflowStep(input, (event) => scheduleFollowUp(event, stepDeps()));
