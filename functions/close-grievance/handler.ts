import { ConflictError } from '../../shared/domain/errors';
import { completeIfOpen } from '../../shared/care/tasks/complete-if-open';
import type { StepDeps } from '../../shared/workflow/deps';
import { grievanceKey, grievanceTaskId, type GrievanceStepInput } from '../../shared/workflow/grievance-input';
import { workflowStep } from '../../shared/workflow/step';
import { STEP_INPUTS } from '../../shared/workflow/step-inputs';

/** State "Close the grievance": the written decision is on record; the patient-relations task is done. */
export async function closeGrievance(event: GrievanceStepInput, deps: StepDeps) {
  const { record: grievance } = await deps.grievances.change(grievanceKey(event), `Grievance ${event.grievanceId}`, ({ record }) =>
    record.awaiting ? { record: { ...record, awaiting: undefined } } : undefined,
  );
  if (grievance.status !== 'resolved') throw new ConflictError(`Grievance ${grievance.grievanceId} has no written decision`);
  await completeIfOpen(deps.tasks, grievanceTaskId(grievance.grievanceId, 'grievance-response'), {}, deps.now().toISOString());
  return { acknowledgedOnTime: grievance.acknowledgedOnTime ?? false, resolvedOnTime: grievance.resolvedOnTime ?? false };
}

export const handler = workflowStep(STEP_INPUTS['close-grievance'], closeGrievance);
