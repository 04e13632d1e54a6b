import type * as z from 'zod';
import type { StepDeps } from '../../shared/workflow/deps';
import { workflowStep } from '../../shared/workflow/step';
import { STEP_INPUTS } from '../../shared/workflow/step-inputs';

const input = STEP_INPUTS['tally-referrals'];

/**
 * State "Tally referral answers": providers that never answered this round are marked timed out
 * (a late answer then gets 409), and the round's outcome goes to the Choice after it.
 */
export async function tallyReferrals({ encounterId, round }: z.infer<typeof input>, deps: StepDeps) {
  const referrals = (await deps.referrals.list(encounterId)).map((r) => r.referral);
  const at = deps.now().toISOString();
  for (const referral of referrals.filter((r) => r.round === round && r.status === 'sent')) {
    await deps.referrals.close(referral, 'timed-out', { reason: 'No answer before the referral deadline', at }, false);
  }
  const accepted = referrals.find((r) => r.status === 'accepted');
  return accepted ? { accepted: true, providerId: accepted.providerId } : { accepted: false };
}

export const handler = workflowStep(input, tallyReferrals);
