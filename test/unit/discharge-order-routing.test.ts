import { describe, expect, it } from 'vitest';
import { planRevisionFor } from '../../shared/domain/discharge-plan';
import { choiceListNeeded, dischargeReadiness } from '../../shared/domain/discharge-readiness';
import { choiceListFor, choiceProblems, isValidNpi, offListProviderId } from '../../shared/domain/patient-choice';
import { POST_ACUTE_DIRECTORY, providerNameOf } from '../../shared/domain/post-acute-directory';
import { nextProviders } from '../../shared/domain/referrals';
import { completionOutputOf } from '../../shared/schemas/task-data';

const now = new Date('2026-12-02T15:00:00Z');
const plan = (path: 'home' | 'home-with-services' | 'home-health' | 'inpatient-rehab' | 'hospice') => ({
  path,
  services: [],
  decidedAt: 'x',
});
const complete = {
  assessment: { needs: [], recordedAt: 'x' },
  goalsAndPreferences: {
    goals: [],
    treatmentPreferences: [],
    preferredLanguage: 'es',
    interpreterNeeded: true,
    preferredPostAcuteProviders: [],
    recordedBy: 'x',
    recordedAt: 'x',
  },
  medicationReconciliation: {
    medications: [],
    interactions: [],
    status: 'complete' as const,
    reconciledBy: { who: 'x', roles: ['pharmacist' as const] },
    reconciledAt: 'x',
  },
};
const records = { education: { total: 2, open: 0 }, followUpVisitBooked: true };

describe("the physician's order over the plan (issue 16 item 6)", () => {
  it.each([
    ['home-with-services', 'inpatient-rehab', 'inpatient-rehab'],
    ['home', 'hospice', 'hospice'],
    ['inpatient-rehab', 'home', 'home'],
    ['home-health', 'long-term-care-hospital', 'long-term-care-hospital'],
  ] as const)('revises a %s plan to the ordered %s', (planned, ordered, path) => {
    expect(planRevisionFor({ path: planned }, { taskId: 't-7', disposition: ordered }, now)).toEqual({
      path,
      revisedFrom: planned,
      revisedAt: now.toISOString(),
      revisedForOrder: 't-7',
    });
  });

  it.each([
    ['the same path', { path: 'hospice' as const }, 'hospice'],
    ['a disposition no plan has (against advice)', { path: 'home' as const }, 'left-against-medical-advice'],
    ['a disposition no plan has (home IV)', { path: 'home' as const }, 'home-iv'],
    ['no disposition given', { path: 'home' as const }, undefined],
    ['no plan', undefined, 'hospice'],
  ] as const)('leaves the plan alone for %s', (_, current, disposition) => {
    expect(planRevisionFor(current, { taskId: 't', ...(disposition ? { disposition } : {}) }, now)).toBeUndefined();
  });

  it('checks readiness against the ordered disposition, not the plan', () => {
    // Planned home with a visit not yet booked: ordered to hospice, the choice is what is missing.
    const home = { ...complete, dischargePlan: plan('home') };
    expect(dischargeReadiness(home, { ...records, followUpVisitBooked: false }, now).missing.map((m) => m.element)).toEqual([
      'followUpVisit',
    ]);
    expect(
      dischargeReadiness(home, { ...records, followUpVisitBooked: false, orderedDisposition: 'hospice' }, now).missing.map(
        (m) => m.element,
      ),
    ).toEqual(['patientChoice']);
    // A choice made from a home health list is no choice of rehab facility.
    const hhaList = choiceListFor('home-health', 'F2', POST_ACUTE_DIRECTORY, now)!;
    const chose = {
      ...complete,
      dischargePlan: plan('home-health'),
      choiceList: hhaList,
      patientChoice: { chosenProviderIds: ['hha-lakeview'] },
    };
    expect(dischargeReadiness(chose, records, now).ready).toBe(true);
    expect(dischargeReadiness(chose, { ...records, orderedDisposition: 'inpatient-rehab' }, now).missing.map((m) => m.element)).toEqual([
      'patientChoice',
    ]);
    // Ordered home instead of rehab: the follow-up visit becomes required.
    expect(
      dischargeReadiness(
        { ...complete, dischargePlan: plan('inpatient-rehab') },
        { ...records, followUpVisitBooked: false, orderedDisposition: 'home' },
        now,
      ).missing.map((m) => m.element),
    ).toEqual(['followUpVisit']);
  });

  it('goes back for a choice list only when the path needs one and the list given was for another', () => {
    const irf = choiceListFor('inpatient-rehab', 'F2', POST_ACUTE_DIRECTORY, now)!;
    expect(choiceListNeeded('inpatient-rehab', undefined)).toBe(true);
    expect(choiceListNeeded('inpatient-rehab', irf)).toBe(false);
    expect(choiceListNeeded('hospice', irf)).toBe(true);
    expect(choiceListNeeded('home-with-services', irf)).toBe(false);
    expect(choiceListNeeded('expired', undefined)).toBe(false);
  });

  it("hands a discharge order's coded disposition to the workflow, and nothing of other tasks' data", () => {
    expect(
      completionOutputOf({
        taskId: 't1',
        type: 'discharge-order',
        outcome: 'completed',
        data: { disposition: 'left-against-medical-advice', orderedBy: 'Dr X' },
      }),
    ).toEqual({
      taskId: 't1',
      outcome: 'completed',
      disposition: 'left-against-medical-advice',
    });
    expect(completionOutputOf({ taskId: 't2', type: 'discharge-order', data: {} })).toEqual({ taskId: 't2', outcome: 'completed' });
    expect(completionOutputOf({ taskId: 't3', type: 'needs-assessment', outcome: 'completed', data: { needs: ['hospice'] } })).toEqual({
      taskId: 't3',
      outcome: 'completed',
    });
    expect(completionOutputOf({ taskId: 't4', type: 'discharge-order', outcome: 'discharged' })).toEqual({
      taskId: 't4',
      outcome: 'discharged',
    });
  });
});

describe('a provider off the list (issue 16 item 8)', () => {
  // F2: no long-term care hospital in the directory serves it.
  const empty = choiceListFor('long-term-care-hospital', 'F2', POST_ACUTE_DIRECTORY, now)!;
  const hospice = choiceListFor('hospice', 'F2', POST_ACUTE_DIRECTORY, now)!;
  const ridge = { name: 'Ridgeline Specialty Hospital', phone: '+1 555 0142', npi: '1234567893' };

  it('gives an empty list where no provider of the type serves the facility', () => {
    expect(empty.providers).toEqual([]);
    expect(empty.statement).toMatch(/or one not on it/);
  });

  it('needs an off-list provider when the list is empty, and accepts one beside the list otherwise', () => {
    expect(choiceProblems(empty, { chosenProviderIds: [], declinedToChoose: true })).toEqual([
      { field: 'offListProvider', reason: expect.stringMatching(/no provider on the list serves this facility/) },
    ]);
    expect(choiceProblems(empty, { chosenProviderIds: [], declinedToChoose: false, offListProvider: ridge })).toEqual([]);
    // The patient would not choose: the provider the care manager arranged.
    expect(choiceProblems(empty, { chosenProviderIds: [], declinedToChoose: true, offListProvider: ridge })).toEqual([]);
    expect(
      choiceProblems(hospice, { chosenProviderIds: ['hospice-evening-star'], declinedToChoose: false, offListProvider: ridge }),
    ).toEqual([]);
    expect(
      choiceProblems(hospice, { chosenProviderIds: [], declinedToChoose: false, offListProvider: { ...ridge, npi: '1234567890' } }),
    ).toEqual([{ field: 'offListProvider.npi', reason: 'is not a valid NPI (10 digits with the CMS check digit)' }]);
  });

  it('checks the NPI check digit (Luhn with the 80840 prefix)', () => {
    expect(isValidNpi('1234567893')).toBe(true); // CMS's worked example
    expect(isValidNpi('1245319599')).toBe(true);
    expect(isValidNpi('1245319598')).toBe(false);
    expect(isValidNpi('123456789')).toBe(false);
  });

  it("refers the off-list provider with the patient's other choices, and names it in the transition record", () => {
    const id = offListProviderId(ridge);
    expect(id).toBe('off-list-1234567893');
    expect(offListProviderId({ name: 'St. Agnes Care, Inc.' })).toBe('off-list-st-agnes-care-inc');
    const choice = {
      chosenProviderIds: ['hospice-evening-star'],
      declinedToChoose: false,
      offListProvider: ridge,
      recordedBy: 'x',
      recordedAt: 'x',
    };
    expect(nextProviders(hospice, choice, new Set()).map((p) => p.providerId)).toEqual(['hospice-evening-star', id]);
    expect(nextProviders(empty, { ...choice, chosenProviderIds: [] }, new Set())).toEqual([{ providerId: id, name: ridge.name }]);
    expect(nextProviders(empty, { ...choice, chosenProviderIds: [] }, new Set([id]))).toEqual([]);
    expect(providerNameOf(id, choice)).toBe('Ridgeline Specialty Hospital');
    expect(providerNameOf('hospice-evening-star', choice)).toBe('Evening Star Hospice');
    expect(providerNameOf('off-list-9999999999', choice)).toBeUndefined();
  });
});
