import type * as z from 'zod';
import { grievanceProgress } from '../../shared/domain/grievances';
import { escalateTask } from '../../shared/care/tasks/escalate';
import type { StepDeps } from '../../shared/workflow/deps';
import { grievanceKey, grievanceTaskId } from '../../shared/workflow/grievance-input';
import { workflowStep } from '../../shared/workflow/step';
import { STEP_INPUTS } from '../../shared/workflow/step-inputs';

const input = STEP_INPUTS['escalate-grievance'];

/**
 * States "Escalate missed acknowledgement" and "Escalate missed resolution deadline": one urgent
 * escalation of the patient-relations task, the miss recorded on the grievance (it stays open).
 */
export async function escalateGrievance(event: z.infer<typeof input>, deps: StepDeps) {
  const now = deps.now();
  const { record: grievance } = await deps.grievances.change(grievanceKey(event), `Grievance ${event.grievanceId}`, ({ record }) =>
    record.escalated?.includes(event.deadline)
      ? undefined
      : { record: { ...record, escalated: [...(record.escalated ?? []), event.deadline] } },
  );
  const [{ task }, encounter] = await Promise.all([
    deps.tasks.mustGet(grievanceTaskId(grievance.grievanceId, 'grievance-response')),
    deps.encounters.mustGet(grievance.encounterId),
  ]);
  const due = event.deadline === 'acknowledgement' ? grievance.acknowledgeBy : grievance.resolveBy;
  await escalateTask(
    deps.tasks,
    task,
    encounter,
    `Grievance ${event.deadline} deadline missed (due ${due}); named contact: ${grievance.namedContact}`,
    now,
  );
  return grievanceProgress(grievance, now);
}

export const handler = workflowStep(input, escalateGrievance);
