import { QIO_CATEGORIES, secondsUntil } from '../../shared/domain/grievances';
import { newTask } from '../../shared/domain/tasks';
import type { StepDeps } from '../../shared/workflow/deps';
import { grievanceKey, grievanceTaskId, type GrievanceStepInput } from '../../shared/workflow/grievance-input';
import { workflowStep } from '../../shared/workflow/step';
import { STEP_INPUTS } from '../../shared/workflow/step-inputs';

/**
 * State "Open the grievance": the patient-relations task (due at the resolution deadline, its
 * details naming both deadlines and the named contact), and the seconds left to each deadline
 * for the waits that follow.
 */
export async function openGrievance(event: GrievanceStepInput, deps: StepDeps) {
  const { record: grievance } = await deps.grievances.mustGet(grievanceKey(event), `Grievance ${event.grievanceId}`);
  const now = deps.now();
  await deps.tasks.openOnce(
    newTask(
      {
        taskId: grievanceTaskId(grievance.grievanceId, 'grievance-response'),
        facilityId: grievance.facilityId,
        encounterId: grievance.encounterId,
        type: 'grievance-response',
        priority: grievance.severity === 'critical' || grievance.severity === 'high' ? 'urgent' : 'routine',
        dueAt: grievance.resolveBy,
        resumesWorkflow: false,
        details: [
          `Named contact: ${grievance.namedContact}`,
          `Acknowledge in writing by ${grievance.acknowledgeBy}`,
          `Written decision by ${grievance.resolveBy}`,
        ],
      },
      now,
    ),
  );
  return {
    referToQio: QIO_CATEGORIES.includes(grievance.category),
    secondsToAcknowledge: secondsUntil(grievance.acknowledgeBy, now),
  };
}

export const handler = workflowStep(STEP_INPUTS['open-grievance'], openGrievance);
