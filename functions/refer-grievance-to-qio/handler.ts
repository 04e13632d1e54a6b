import { hoursFrom, newTask } from '../../shared/domain/tasks';
import type { StepDeps } from '../../shared/workflow/deps';
import { grievanceKey, grievanceTaskId, type GrievanceStepInput } from '../../shared/workflow/grievance-input';
import { workflowStep } from '../../shared/workflow/step';
import { STEP_INPUTS } from '../../shared/workflow/step-inputs';

/** State "Refer to the QIO": the referral recorded on the grievance, and a task to send it (due in a day). */
export async function referGrievanceToQio(event: GrievanceStepInput, deps: StepDeps) {
  const now = deps.now();
  const { record: grievance } = await deps.grievances.change(grievanceKey(event), `Grievance ${event.grievanceId}`, ({ record }) =>
    record.qioReferral
      ? undefined
      : { record: { ...record, qioReferral: { referredAt: now.toISOString(), reason: `${record.category} grievance` } } },
  );
  await deps.tasks.openOnce(
    newTask(
      {
        taskId: grievanceTaskId(grievance.grievanceId, 'qio-referral'),
        facilityId: grievance.facilityId,
        encounterId: grievance.encounterId,
        type: 'qio-referral',
        priority: 'urgent',
        dueAt: hoursFrom(now, 24),
        resumesWorkflow: false,
      },
      now,
    ),
  );
  return {};
}

export const handler = workflowStep(STEP_INPUTS['refer-grievance-to-qio'], referGrievanceToQio);
