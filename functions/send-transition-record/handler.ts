import * as z from 'zod';
import { stepDeps, type StepDeps } from '../../shared/workflow/deps';
import { workflowStep } from '../../shared/workflow/step';
import { storeTransitionRecord } from '../../shared/workflow/transition-record';

const input = z.object({ encounterId: z.string().min(1) });

/**
 * State "Send transition record": the record for the provider whose referral was accepted (if
 * any) and the primary care practitioner, stored once (shared/workflow/transition-record.ts).
 */
export async function sendTransitionRecord({ encounterId }: z.infer<typeof input>, deps: StepDeps) {
  const referrals = await deps.referrals.list(encounterId);
  const accepted = referrals.find((r) => r.referral.status === 'accepted')?.referral.providerId;
  const record = await storeTransitionRecord(encounterId, accepted, deps);
  return { recipients: record.recipients.length };
}

export const handler = workflowStep(input, (event) => sendTransitionRecord(event, stepDeps()));
