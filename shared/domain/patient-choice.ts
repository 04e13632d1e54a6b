import type { Recorder } from './access';
import type { DischargePath } from './discharge-plan';

/**
 * Patient choice (42 CFR 482.43(c)): when post-acute care is needed, the patient gets a list of
 * Medicare-participating providers of the needed type serving their area, with quality data,
 * is told they are free to choose, and their choice is recorded. The list is alphabetical, never
 * ranked for the patient (no steering); quality ratings are shown beside each name.
 */
export const PROVIDER_TYPE_BY_PATH: Partial<Record<DischargePath, ProviderType>> = {
  'home-health': 'home-health-agency',
  'skilled-nursing': 'skilled-nursing-facility',
  'inpatient-rehab': 'inpatient-rehab-facility',
  'long-term-care-hospital': 'long-term-care-hospital',
  hospice: 'hospice',
};

export const PROVIDER_TYPES = [
  'home-health-agency',
  'skilled-nursing-facility',
  'inpatient-rehab-facility',
  'long-term-care-hospital',
  'hospice',
  'acute-care-hospital',
] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

export interface PostAcuteProvider {
  providerId: string;
  name: string;
  type: ProviderType;
  medicareParticipating: boolean;
  /** CMS star rating (1–5) where CMS publishes one. */
  qualityStars?: number;
  /** Facilities whose patients this provider serves (its service area, as the hospital records it). */
  servesFacilities: string[];
  /** Financial interest the hospital must disclose. */
  hospitalHasFinancialInterest?: boolean;
}

export interface ChoiceList {
  path: DischargePath;
  providerType: ProviderType;
  providers: Array<Pick<PostAcuteProvider, 'providerId' | 'name' | 'qualityStars' | 'hospitalHasFinancialInterest'>>;
  offeredAt: string;
  statement: string;
}

/**
 * A provider the patient chose that is not on the list (the statement says they may): what the
 * care manager needs to refer them outside Carepath and to send them the transition record.
 */
export interface OffListProvider {
  name: string;
  /** How the care manager reaches the provider's intake to refer the patient. */
  phone: string;
  /** The provider's National Provider Identifier, when known (10 digits, CMS check digit). */
  npi?: string;
  address?: string;
}

export interface PatientChoice {
  chosenProviderIds: string[];
  declinedToChoose: boolean;
  /**
   * Chosen by the patient off the list; with `declinedToChoose`, the provider the care manager
   * arranged for a patient who would not choose (needed when the list is empty).
   */
  offListProvider?: OffListProvider;
  /** The name the body gave (display only); who recorded it is `by`, from the token. */
  recordedBy: string;
  by?: Recorder;
  recordedAt: string;
}

/** The off-list provider's id in referrals and the transition record: never one of the directory's. */
export const offListProviderId = (provider: Pick<OffListProvider, 'name' | 'npi'>) =>
  `off-list-${
    provider.npi ??
    provider.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60)
  }`;

/**
 * The NPI check digit (CMS, "Requirements for National Provider Identifier check digit"): the
 * Luhn formula over the first nine digits with the prefix 80840, i.e. a constant 24 added.
 */
export function isValidNpi(npi: string): boolean {
  if (!/^\d{10}$/.test(npi)) return false;
  let sum = 24;
  for (let i = 0; i < 9; i += 1) {
    const digit = Number(npi[8 - i]);
    const doubled = i % 2 === 0 ? digit * 2 : digit;
    sum += doubled > 9 ? doubled - 9 : doubled;
  }
  return (10 - (sum % 10)) % 10 === Number(npi[9]);
}

export const FREEDOM_OF_CHOICE =
  'You are free to choose any provider on this list, or one not on it. The hospital does not steer you; any financial interest is disclosed. ' +
  'If you have a managed-care plan, check which providers are in its network.';

/** The list for a path, or undefined when the path needs no post-acute provider. */
export function choiceListFor(
  path: DischargePath,
  facilityId: string,
  directory: readonly PostAcuteProvider[],
  now: Date,
): ChoiceList | undefined {
  const providerType = PROVIDER_TYPE_BY_PATH[path];
  if (!providerType) return undefined;
  const providers = directory
    .filter((p) => p.type === providerType && p.medicareParticipating && p.servesFacilities.includes(facilityId))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map(({ providerId, name, qualityStars, hospitalHasFinancialInterest }) => ({
      providerId,
      name,
      ...(qualityStars !== undefined ? { qualityStars } : {}),
      ...(hospitalHasFinancialInterest ? { hospitalHasFinancialInterest } : {}),
    }));
  return { path, providerType, providers, offeredAt: now.toISOString(), statement: FREEDOM_OF_CHOICE };
}

/**
 * Chosen providers come from the list given, or are named off it (`offListProvider`): the patient
 * may choose one not on it. An empty list (no provider in the directory serves this facility)
 * needs an off-list provider, or no referral could go anywhere.
 */
export function choiceProblems(
  list: ChoiceList | undefined,
  choice: Pick<PatientChoice, 'chosenProviderIds' | 'declinedToChoose' | 'offListProvider'>,
): Array<{ field: string; reason: string }> {
  if (!list) return [{ field: 'chosenProviderIds', reason: 'no choice list has been given for this stay yet' }];
  if (choice.declinedToChoose && choice.chosenProviderIds.length > 0)
    return [{ field: 'declinedToChoose', reason: 'cannot decline and choose at once' }];
  if (!choice.declinedToChoose && choice.chosenProviderIds.length === 0 && !choice.offListProvider) {
    return [
      {
        field: 'chosenProviderIds',
        reason: 'name at least one provider on the list, or one not on it (offListProvider), or set declinedToChoose',
      },
    ];
  }
  if (list.providers.length === 0 && !choice.offListProvider) {
    return [
      {
        field: 'offListProvider',
        reason: 'no provider on the list serves this facility: name the provider the patient chose, or the one arranged for them',
      },
    ];
  }
  const problems: Array<{ field: string; reason: string }> = [];
  if (choice.offListProvider?.npi !== undefined && !isValidNpi(choice.offListProvider.npi)) {
    problems.push({ field: 'offListProvider.npi', reason: 'is not a valid NPI (10 digits with the CMS check digit)' });
  }
  const offered = new Set(list.providers.map((p) => p.providerId));
  return [
    ...problems,
    ...choice.chosenProviderIds.flatMap((id, index) =>
      offered.has(id)
        ? []
        : [{ field: `chosenProviderIds.${index}`, reason: 'is not on the list given (name a provider not on it as offListProvider)' }],
    ),
  ];
}
