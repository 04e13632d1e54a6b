import type * as z from 'zod';
import type { StepDeps } from '../../shared/workflow/deps';
import { workflowStep } from '../../shared/workflow/step';
import { STEP_INPUTS } from '../../shared/workflow/step-inputs';
import { storeTransitionRecord } from '../../shared/care/discharge/transition-record';

const input = STEP_INPUTS['send-transition-record'];

/**
 * State "Send transition record": the record of this discharge for the provider whose referral
 * was accepted (if any) and the primary care practitioner, one version per discharge
 * (shared/care/discharge/transition-record.ts).
 */
export async function sendTransitionRecord({ encounterId }: z.infer<typeof input>, deps: StepDeps) {
  // A retry after an A13 cancelled this discharge must not send a record of one that did not happen.
  if (!(await deps.encounters.mustGet(encounterId)).discharge) return { recipients: 0, version: null, dischargeCancelled: true };
  const referrals = await deps.referrals.list(encounterId);
  const accepted = referrals.find((r) => r.referral.status === 'accepted')?.referral.providerId;
  const record = await storeTransitionRecord(encounterId, accepted, deps);
  return { recipients: record.recipients.length, version: record.version };
}

export const handler = workflowStep(input, sendTransitionRecord);
