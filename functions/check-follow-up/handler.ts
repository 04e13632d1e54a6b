import type * as z from 'zod';
import { judgeContact } from '../../shared/domain/follow-up';
import { followUpAsItStands } from '../../shared/care/follow-up/follow-up-record';
import type { StepDeps } from '../../shared/workflow/deps';
import { workflowStep } from '../../shared/workflow/step';
import { STEP_INPUTS } from '../../shared/workflow/step-inputs';

const input = STEP_INPUTS['check-follow-up'];

/**
 * States "Check interactive contact" and "Check follow-up visit and medication reconciliation":
 * judge what was documented by the deadline just reached, and keep the judgement on the
 * encounter (the metrics read it). A readmission meanwhile ends the follow-up of this stay.
 */
export async function checkFollowUpStep(event: z.infer<typeof input>, deps: StepDeps) {
  const now = deps.now();
  const { encounter, followUp, readmittedEncounterId, visit } = await followUpAsItStands(event.encounterId, deps, now);
  if (event.checkpoint === 'contact') {
    const outcome = judgeContact(followUp.attempts, followUp.contactDueBy);
    if (followUp.contactOutcome !== outcome)
      await deps.encounters.update(encounter, { fields: { followUp: { ...followUp, contactOutcome: outcome } } }, now);
    return { outcome, attempts: followUp.attempts.length, readmitted: readmittedEncounterId !== undefined };
  }
  const { outcome, medicationsReconciledByVisit } = visit;
  if (followUp.visitOutcome !== outcome || followUp.medicationsReconciledByVisit !== medicationsReconciledByVisit) {
    await deps.encounters.update(
      encounter,
      { fields: { followUp: { ...followUp, visitOutcome: outcome, medicationsReconciledByVisit } } },
      now,
    );
  }
  return {
    outcome,
    medicationsReconciledByVisit,
    onTime: outcome === 'met' && medicationsReconciledByVisit,
    readmitted: readmittedEncounterId !== undefined,
  };
}

export const handler = workflowStep(input, checkFollowUpStep);
