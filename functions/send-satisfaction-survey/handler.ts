import type * as z from 'zod';
import { ConflictError } from '../../shared/domain/errors';
import { stableId } from '../../shared/ids';
import type { StepDeps } from '../../shared/workflow/deps';
import { workflowStep } from '../../shared/workflow/step';
import { STEP_INPUTS } from '../../shared/workflow/step-inputs';

const input = STEP_INPUTS['send-satisfaction-survey'];

/**
 * State "Send the satisfaction survey": the survey is on the stay (ids only; the site's survey
 * vendor or portal reads it through the API). Sent once per stay, whatever retries happen.
 */
export async function sendSatisfactionSurvey(event: z.infer<typeof input>, deps: StepDeps) {
  const encounter = await deps.encounters.mustGet(event.encounterId);
  if (!encounter.discharge) throw new ConflictError(`Encounter ${encounter.encounterId} is not discharged`);
  if (encounter.satisfactionSurvey) return { surveyId: encounter.satisfactionSurvey.surveyId };
  // A decedent is not surveyed (HCAHPS: ineligible, deceased; DTH-5).
  if ((await deps.patients.get(encounter.patientId))?.deceased) return { surveyId: null, withheld: 'patient died' };
  const now = deps.now();
  const satisfactionSurvey = {
    surveyId: stableId(encounter.encounterId, 'satisfaction-survey'),
    sentAt: now.toISOString(),
    status: 'sent' as const,
  };
  await deps.encounters.update(encounter, { fields: { satisfactionSurvey } }, now);
  return { surveyId: satisfactionSurvey.surveyId };
}

export const handler = workflowStep(input, sendSatisfactionSurvey);
