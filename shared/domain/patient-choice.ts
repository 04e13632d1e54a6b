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

export const PROVIDER_TYPES = ['home-health-agency', 'skilled-nursing-facility', 'inpatient-rehab-facility', 'long-term-care-hospital', 'hospice', 'acute-care-hospital'] as const;
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

export interface PatientChoice {
  chosenProviderIds: string[];
  declinedToChoose: boolean;
  recordedBy: string;
  recordedAt: string;
}

export const FREEDOM_OF_CHOICE =
  'You are free to choose any provider on this list, or one not on it. The hospital does not steer you; any financial interest is disclosed. ' +
  'If you have a managed-care plan, check which providers are in its network.';

/** The list for a path, or undefined when the path needs no post-acute provider. */
export function choiceListFor(path: DischargePath, facilityId: string, directory: readonly PostAcuteProvider[], now: Date): ChoiceList | undefined {
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

/** Chosen providers must come from the list given (a provider off the list is recorded as a note, not a choice). */
export function choiceProblems(list: ChoiceList | undefined, choice: Pick<PatientChoice, 'chosenProviderIds' | 'declinedToChoose'>): Array<{ field: string; reason: string }> {
  if (!list) return [{ field: 'chosenProviderIds', reason: 'no choice list has been given for this stay yet' }];
  if (choice.declinedToChoose && choice.chosenProviderIds.length > 0) return [{ field: 'declinedToChoose', reason: 'cannot decline and choose at once' }];
  if (!choice.declinedToChoose && choice.chosenProviderIds.length === 0) return [{ field: 'chosenProviderIds', reason: 'name at least one provider, or set declinedToChoose' }];
  const offered = new Set(list.providers.map((p) => p.providerId));
  return choice.chosenProviderIds.flatMap((id, index) => (offered.has(id) ? [] : [{ field: `chosenProviderIds.${index}`, reason: 'is not on the list given' }]));
}
