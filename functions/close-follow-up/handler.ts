import type * as z from 'zod';
import { judgeContact } from '../../shared/domain/follow-up';
import { followUpAsItStands } from '../../shared/care/follow-up/follow-up-record';
import type { StepDeps } from '../../shared/workflow/deps';
import { workflowStep } from '../../shared/workflow/step';
import { STEP_INPUTS } from '../../shared/workflow/step-inputs';

const input = STEP_INPUTS['close-follow-up'];

/**
 * State "Close the follow-up window": the final judgement of each deadline (a readmission may
 * close the window early), the follow-up marked closed, and its still-open tasks cancelled.
 */
export async function closeFollowUpStep(event: z.infer<typeof input>, deps: StepDeps) {
  const now = deps.now();
  const { encounter, followUp, readmittedEncounterId, visit } = await followUpAsItStands(event.encounterId, deps, now);
  const closed = {
    ...followUp,
    status: 'closed' as const,
    closedAt: now.toISOString(),
    contactOutcome: judgeContact(followUp.attempts, followUp.contactDueBy),
    visitOutcome: visit.outcome,
    medicationsReconciledByVisit: visit.medicationsReconciledByVisit,
    ...(readmittedEncounterId ? { readmittedEncounterId } : {}),
  };
  if (followUp.status !== 'closed') {
    const reason = readmittedEncounterId ? 'patient readmitted: follow-up of this stay ended' : 'follow-up window closed';
    for (const taskId of [followUp.contactTaskId, followUp.visitTaskId]) {
      const stored = await deps.tasks.get(taskId);
      if (stored?.task.status === 'open') await deps.tasks.cancel(stored.task, reason, now.toISOString());
    }
    await deps.encounters.update(encounter, { fields: { followUp: closed } }, now);
  }
  return { contactOutcome: closed.contactOutcome, visitOutcome: closed.visitOutcome, readmitted: readmittedEncounterId !== undefined };
}

export const handler = workflowStep(input, closeFollowUpStep);
