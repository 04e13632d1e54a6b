import { SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { Referral, ReferralAnswer } from '../../shared/domain/referrals';
import { logger } from '../../shared/observability/logger';
import type { ReferralStore } from '../../shared/store/referral-store';

const NOT_WAITING = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

/**
 * An answered referral resumes the Map iteration waiting for it (outbox: the API stores the
 * answer, the stream delivers it until delivered). An acceptance first withdraws the round's
 * other open referrals, which resume their own iterations as "withdrawn".
 */
export async function resumeReferral(referral: Referral, taskToken: string | undefined, deps: { sfn: SFNClient; referrals: ReferralStore; now: () => Date }): Promise<void> {
  if (referral.resume !== 'pending' || referral.status === 'sent') return;
  if (referral.status === 'accepted') {
    const siblings = (await deps.referrals.list(referral.encounterId)).map((r) => r.referral);
    for (const other of siblings.filter((r) => r.round === referral.round && r.status === 'sent' && r.referralId !== referral.referralId)) {
      await deps.referrals.close(other, 'withdrawn', { reason: `${referral.providerName} accepted first`, at: deps.now().toISOString() }, true);
    }
  }
  if (!taskToken) return;
  const answer: ReferralAnswer = { referralId: referral.referralId, status: referral.status };
  try {
    await deps.sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(answer) }));
    await deps.referrals.markResume(referral.encounterId, referral.referralId, 'delivered');
  } catch (error) {
    const name = (error as Error).name;
    if (!NOT_WAITING.has(name)) throw error;
    logger.warn('Workflow was not waiting for this referral', { referralId: referral.referralId, errorName: name });
    await deps.referrals.markResume(referral.encounterId, referral.referralId, 'not-waiting');
  }
}
