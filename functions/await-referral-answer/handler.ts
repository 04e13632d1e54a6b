import { SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type * as z from 'zod';
import type { ReferralAnswer } from '../../shared/domain/referrals';
import { stableId } from '../../shared/ids';
import { sfnClient } from '../../shared/store/clients';
import type { StepDeps } from '../../shared/workflow/deps';
import { workflowStep } from '../../shared/workflow/step';
import { STEP_INPUTS } from '../../shared/workflow/step-inputs';

const input = STEP_INPUTS['await-referral-answer'];

/**
 * State "Await provider's answer" (one Map iteration per provider): sends the referral holding
 * the task token; the provider's accept or decline (through the API) resumes it, as does the
 * withdrawal when another provider accepts first. A retried state refreshes the token of the
 * same referral, or hands an answer that already came to the new token.
 */
export async function awaitReferralAnswer(event: z.infer<typeof input>, deps: StepDeps & { sfn: SFNClient }) {
  const encounter = await deps.encounters.mustGet(event.encounterId);
  const referralId = stableId(event.executionArn, String(event.round), event.providerId);
  const stored = await deps.referrals.send(
    {
      referralId,
      encounterId: encounter.encounterId,
      facilityId: encounter.facilityId,
      patientId: encounter.patientId,
      providerId: event.providerId,
      providerName: event.providerName,
      service: event.service,
      round: event.round,
      status: 'sent',
      sentAt: deps.now().toISOString(),
    },
    event.taskToken,
  );
  if (stored.referral.status !== 'sent') {
    const answer: ReferralAnswer = { referralId, status: stored.referral.status };
    await deps.sfn.send(new SendTaskSuccessCommand({ taskToken: event.taskToken, output: JSON.stringify(answer) }));
  }
  return { referralId };
}

export const handler = workflowStep(input, (event, deps) => awaitReferralAnswer(event, { ...deps, sfn: sfnClient() }));
