import type * as z from 'zod';
import { nextProviders } from '../../shared/domain/referrals';
import type { StepDeps } from '../../shared/workflow/deps';
import { workflowStep } from '../../shared/workflow/step';
import { STEP_INPUTS } from '../../shared/workflow/step-inputs';

const input = STEP_INPUTS['pick-referral-providers'];

/**
 * State "Pick providers to refer to": the next few providers not yet asked, the patient's choices
 * first. Each item carries what one Map iteration needs (no Map context object is used).
 */
export async function pickReferralProviders({ encounterId, executionArn }: z.infer<typeof input>, deps: StepDeps) {
  const encounter = await deps.encounters.mustGet(encounterId);
  // Discharged meanwhile (ADT A03): nobody is asked; the discharge order step sees the discharge.
  if (encounter.discharge) return { round: 0, count: 0, providers: [], discharged: true };
  const earlier = (await deps.referrals.list(encounterId)).map((r) => r.referral);
  const round = Math.max(0, ...earlier.map((r) => r.round)) + 1;
  const providers = nextProviders(encounter.choiceList, encounter.patientChoice, new Set(earlier.map((r) => r.providerId)));
  return {
    round,
    discharged: false,
    count: providers.length,
    providers: providers.map((p) => ({
      encounterId,
      executionArn,
      round,
      providerId: p.providerId,
      providerName: p.name,
      service: encounter.choiceList?.providerType ?? 'post-acute-care',
    })),
  };
}

export const handler = workflowStep(input, pickReferralProviders);
