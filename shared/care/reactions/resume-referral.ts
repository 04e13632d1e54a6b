import type { SFNClient } from '@aws-sdk/client-sfn';
import type { Referral, ReferralAnswer } from '../../domain/referrals';
import type { ReferralStore } from '../../store/referral-store';
import { deliverToWaitingExecution } from './resume-workflow';

/**
 * An answered referral resumes the Map iteration waiting for it (outbox: the API stores the
 * answer, the stream delivers it until delivered). An acceptance first withdraws the round's
 * other open referrals, which resume their own iterations as "withdrawn".
 */
export async function resumeReferral(
  referral: Referral,
  taskToken: string | undefined,
  deps: { sfn: SFNClient; referrals: ReferralStore; now: () => Date },
): Promise<void> {
  if (referral.resume !== 'pending' || referral.status === 'sent') return;
  if (referral.status === 'accepted') {
    const siblings = (await deps.referrals.list(referral.encounterId)).map((r) => r.referral);
    for (const other of siblings.filter((r) => r.round === referral.round && r.status === 'sent' && r.referralId !== referral.referralId)) {
      await deps.referrals.close(
        other,
        'withdrawn',
        { reason: `${referral.providerName} accepted first`, at: deps.now().toISOString() },
        true,
      );
    }
  }
  if (!taskToken) return;
  const answer: ReferralAnswer = { referralId: referral.referralId, status: referral.status };
  const settled = await deliverToWaitingExecution(deps.sfn, taskToken, answer, { referralId: referral.referralId });
  await deps.referrals.markResume(referral.encounterId, referral.referralId, settled);
}
