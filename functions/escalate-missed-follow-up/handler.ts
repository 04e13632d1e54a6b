import type * as z from 'zod';
import { ConflictError } from '../../shared/domain/errors';
import { escalateTask } from '../../shared/care/tasks/escalate';
import type { StepDeps } from '../../shared/workflow/deps';
import { workflowStep } from '../../shared/workflow/step';
import { STEP_INPUTS } from '../../shared/workflow/step-inputs';

const input = STEP_INPUTS['escalate-missed-follow-up'];

/**
 * States "Escalate missed contact" and "Escalate missed visit": the lead care manager gets one
 * urgent task naming the missed TCM deadline. The contact or visit task stays open, so what is
 * done late is still documented (and counted as late).
 */
export async function escalateMissedFollowUpStep(event: z.infer<typeof input>, deps: StepDeps) {
  const encounter = await deps.encounters.mustGet(event.encounterId);
  const followUp = encounter.followUp;
  if (!followUp) throw new ConflictError(`Encounter ${encounter.encounterId} has no follow-up plan`);
  const { task } = await deps.tasks.mustGet(event.checkpoint === 'contact' ? followUp.contactTaskId : followUp.visitTaskId);
  const detail =
    event.checkpoint === 'contact'
      ? `TCM interactive contact missed: due by ${followUp.contactDueBy}, ${followUp.attempts.length} attempt(s) documented (at least 2 needed when the patient cannot be reached)`
      : `TCM face-to-face visit or medication reconciliation missed: due by ${followUp.visitDueBy} (${followUp.complexity} complexity)`;
  await escalateTask(deps.tasks, task, encounter, detail, deps.now());
  return { escalated: task.taskId };
}

export const handler = workflowStep(input, escalateMissedFollowUpStep);
