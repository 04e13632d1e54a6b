import { describe, expect, it } from 'vitest';
import { awaitedRole, dischargeReadiness } from '../../shared/domain/discharge-readiness';
import { choiceListFor, choiceProblems } from '../../shared/domain/patient-choice';
import { POST_ACUTE_DIRECTORY } from '../../shared/domain/post-acute-directory';
import { nextProviders } from '../../shared/domain/referrals';
import { arrangementProblems, unarrangedServices } from '../../shared/domain/service-arrangements';
import type { MedicationReconciliation } from '../../shared/domain/medications/reconciliation';

const now = new Date('2026-11-23T10:00:00Z');
const unrecognised = {
  drug: 'Zzyzxamab',
  decision: 'new' as const,
  discharge: { dose: '1 mg' },
  reason: 'trial',
  ingredients: [],
  recognised: false,
};
const reconciliation = (status: MedicationReconciliation['status']) => ({
  medications: [],
  interactions: [],
  status,
  reconciledBy: { who: 'x', roles: ['pharmacist' as const] },
  reconciledAt: 'x',
});
/** Education items (how many, how many open) and whether the follow-up visit is booked. */
const rec = (total: number, open: number, followUpVisitBooked = true) => ({ education: { total, open }, followUpVisitBooked });
const complete = {
  assessment: { needs: [], recordedAt: 'x' },
  goalsAndPreferences: {
    goals: [],
    treatmentPreferences: [],
    preferredLanguage: 'en',
    interpreterNeeded: false,
    preferredPostAcuteProviders: [],
    recordedBy: 'x',
    recordedAt: 'x',
  },
  dischargePlan: { path: 'home' as const, services: [], decidedAt: 'x' },
  medicationReconciliation: reconciliation('complete'),
};

describe('discharge readiness', () => {
  it('is ready when every element is on record', () => {
    expect(dischargeReadiness(complete, rec(1, 0), now)).toEqual({ ready: true, missing: [], checkedAt: now.toISOString() });
  });

  it.each([
    ['evaluation', { ...complete, assessment: undefined }, rec(1, 0)],
    ['goalsAndPreferences', { ...complete, goalsAndPreferences: undefined }, rec(1, 0)],
    ['patientChoice', { ...complete, dischargePlan: { path: 'skilled-nursing' as const, services: [], decidedAt: 'x' } }, rec(1, 0)],
    [
      'servicesArranged',
      { ...complete, dischargePlan: { path: 'home-with-services' as const, services: ['meals'], decidedAt: 'x' } },
      rec(1, 0),
    ],
    ['medicationReconciliation', { ...complete, medicationReconciliation: undefined }, rec(1, 0)],
    ['interactionReview', { ...complete, medicationReconciliation: reconciliation('blocked') }, rec(1, 0)],
    [
      'medicationConfirmation',
      { ...complete, medicationReconciliation: { ...reconciliation('incomplete'), medications: [unrecognised] } },
      rec(1, 0),
    ],
    ['education', complete, rec(0, 0)],
    ['education', complete, rec(2, 1)],
    ['followUpVisit', complete, rec(1, 0, false)],
  ])('lists %s when it is missing', (element, encounter, education) => {
    expect(dischargeReadiness(encounter, education, now).missing.map((m) => m.element)).toEqual([element]);
  });

  it('needs the follow-up visit booked for paths home only (a facility sees the patient itself)', () => {
    const snfList = choiceListFor('skilled-nursing', 'F1', POST_ACUTE_DIRECTORY, now)!;
    expect(
      dischargeReadiness(
        {
          ...complete,
          patientChoice: {},
          choiceList: snfList,
          dischargePlan: { path: 'skilled-nursing' as const, services: [], decidedAt: 'x' },
        },
        rec(1, 0, false),
        now,
      ).ready,
    ).toBe(true);
    expect(
      dischargeReadiness(
        { ...complete, dischargePlan: { path: 'home-with-services' as const, services: [], decidedAt: 'x' } },
        rec(1, 0, false),
        now,
      ).ready,
    ).toBe(false);
  });

  it('asks the pharmacist only when interactions are all that is missing', () => {
    expect(awaitedRole(dischargeReadiness({ ...complete, medicationReconciliation: reconciliation('blocked') }, rec(1, 0), now))).toBe(
      'pharmacist',
    );
    expect(awaitedRole(dischargeReadiness({ ...complete, medicationReconciliation: reconciliation('blocked') }, rec(0, 0), now))).toBe(
      'care-manager',
    );
    expect(
      awaitedRole(
        dischargeReadiness(
          { ...complete, medicationReconciliation: { ...reconciliation('blocked'), medications: [unrecognised] } },
          rec(1, 0),
          now,
        ),
      ),
    ).toBe('pharmacist');
  });
});

describe('patient choice list', () => {
  it('offers Medicare-participating providers of the needed type serving the facility, alphabetically', () => {
    const list = choiceListFor('home-health', 'F1', POST_ACUTE_DIRECTORY, now)!;
    expect(list.providers.map((p) => p.name)).toEqual(['Lakeview Visiting Nurses', 'Riverside Home Health', 'Summit Home Care']);
    expect(list.providers.find((p) => p.providerId === 'hha-summit')).toMatchObject({
      hospitalHasFinancialInterest: true,
      qualityStars: 5,
    });
    expect(choiceListFor('home-health', 'F2', POST_ACUTE_DIRECTORY, now)!.providers.map((p) => p.providerId)).toEqual(['hha-lakeview']);
    expect(choiceListFor('home', 'F1', POST_ACUTE_DIRECTORY, now)).toBeUndefined();
  });

  it('accepts only providers from the list given, or a recorded refusal', () => {
    const list = choiceListFor('skilled-nursing', 'F1', POST_ACUTE_DIRECTORY, now);
    expect(choiceProblems(list, { chosenProviderIds: ['snf-oakwood'], declinedToChoose: false })).toEqual([]);
    expect(choiceProblems(list, { chosenProviderIds: [], declinedToChoose: true })).toEqual([]);
    expect(choiceProblems(list, { chosenProviderIds: ['hha-riverside'], declinedToChoose: false })).toEqual([
      { field: 'chosenProviderIds.0', reason: 'is not on the list given (name a provider not on it as offListProvider)' },
    ]);
    expect(choiceProblems(list, { chosenProviderIds: [], declinedToChoose: false })[0]!.field).toBe('chosenProviderIds');
    expect(choiceProblems(undefined, { chosenProviderIds: ['snf-oakwood'], declinedToChoose: false })[0]!.reason).toMatch(/no choice list/);
  });
});

describe('referral rounds', () => {
  const list = choiceListFor('home-health', 'F1', POST_ACUTE_DIRECTORY, now);
  const choice = (ids: string[]) => ({ chosenProviderIds: ids, declinedToChoose: ids.length === 0, recordedBy: 'x', recordedAt: 'x' });
  const ids = (providers: Array<{ providerId: string }>) => providers.map((p) => p.providerId);

  it("asks the patient's choices first, on their own, then the rest of the list a few at a time", () => {
    expect(ids(nextProviders(list, choice(['hha-summit', 'hha-riverside']), new Set()))).toEqual(['hha-summit', 'hha-riverside']);
    expect(ids(nextProviders(list, choice(['hha-summit']), new Set(['hha-summit'])))).toEqual(['hha-lakeview', 'hha-riverside']);
    expect(ids(nextProviders(list, choice([]), new Set()))).toEqual(['hha-lakeview', 'hha-riverside', 'hha-summit']);
    expect(ids(nextProviders(list, choice(['hha-summit']), new Set(['hha-summit', 'hha-lakeview', 'hha-riverside'])))).toEqual([]);
    expect(nextProviders(undefined, undefined, new Set())).toEqual([]);
  });
});

describe('service arrangements', () => {
  it('needs a decision for every service of the plan: a provider when arranged, a reason when declined', () => {
    expect(
      unarrangedServices(
        ['meals', 'transportation'],
        [{ service: 'meals', status: 'arranged', provider: 'P', arrangedBy: 'x', arrangedAt: 'x' }],
      ),
    ).toEqual(['transportation']);
    expect(arrangementProblems(['meals'], [{ service: 'meals', status: 'arranged', arrangedBy: 'x' }])).toEqual([
      { field: 'arrangements.0.provider', reason: 'is required for an arranged service' },
    ]);
    expect(arrangementProblems(['meals'], [{ service: 'meals', status: 'declined-by-patient', arrangedBy: 'x' }])[0]!.field).toBe(
      'arrangements.0.reason',
    );
    expect(
      arrangementProblems(
        ['meals'],
        [{ service: 'home-modification', status: 'declined-by-patient', reason: 'Owns home', arrangedBy: 'x' }],
      )[0]!.field,
    ).toBe('arrangements.0.service');
    expect(arrangementProblems(undefined, [])[0]!.reason).toMatch(/no discharge plan/);
  });
});
