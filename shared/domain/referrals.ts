import type { Recorder } from './access';
import { offListProviderId, type ChoiceList, type PatientChoice } from './patient-choice';

/**
 * Referrals to post-acute providers (DOMAIN.md §7: SNF rejection rates reach ~88%, home health
 * ~71%): sent to several providers at once, the first acceptance wins and the others are
 * withdrawn, declines and silences fall through to the next providers on the patient's list.
 */
export const REFERRAL_STATUSES = ['sent', 'accepted', 'declined', 'timed-out', 'withdrawn'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

export interface Referral {
  referralId: string;
  encounterId: string;
  facilityId: string;
  patientId: string;
  providerId: string;
  providerName: string;
  /** What is asked for: the provider type of the choice list. */
  service: string;
  round: number;
  status: ReferralStatus;
  sentAt: string;
  answeredAt?: string;
  /** When Carepath withdrew an accepted referral (the physician ordered another path). */
  withdrawnAt?: string;
  /** The provider's reason for a decline, or why Carepath withdrew or timed it out. */
  reason?: string;
  /** The name the answer gave (the receiving provider's person, display only); who sent the answer is `recorder`, from the token. */
  answeredBy?: string;
  recorder?: Recorder;
  /** `pending` from the answer until the waiting workflow has it (the stream delivers it). */
  resume?: 'pending' | 'delivered' | 'not-waiting';
}

/** How many providers one round asks at once. */
export const PROVIDERS_PER_ROUND = 3;

/**
 * The next providers to ask, never one already asked: the patient's own choices first, on their
 * own (the choice is theirs); once those have all declined or stayed silent, the rest of the
 * list given, a few at a time.
 */
export function nextProviders(
  list: ChoiceList | undefined,
  choice: PatientChoice | undefined,
  asked: ReadonlySet<string>,
  perRound = PROVIDERS_PER_ROUND,
): Array<{ providerId: string; name: string }> {
  if (!list) return [];
  // A provider off the list is the patient's choice too (or the one arranged for them): asked with the others chosen.
  const offList = choice?.offListProvider
    ? [{ providerId: offListProviderId(choice.offListProvider), name: choice.offListProvider.name }]
    : [];
  const chosen: Array<{ providerId: string; name: string }> = [
    ...(choice?.chosenProviderIds ?? []).flatMap((id) => list.providers.filter((p) => p.providerId === id)),
    ...offList,
  ];
  const chosenLeft = chosen.filter((p) => !asked.has(p.providerId));
  if (chosenLeft.length > 0) return chosenLeft.slice(0, perRound);
  return list.providers.filter((p) => !chosen.includes(p) && !asked.has(p.providerId)).slice(0, perRound);
}

/** What the waiting workflow receives when a referral is settled. */
export interface ReferralAnswer {
  referralId: string;
  status: Exclude<ReferralStatus, 'sent'>;
}
