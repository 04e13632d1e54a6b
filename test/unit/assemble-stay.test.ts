import { describe, expect, it } from 'vitest';
import { assembleStay } from '../../shared/store/encounter-store';

describe('a stay read from its records', () => {
  const record = { pk: 'ENCOUNTER#e-1', sk: 'ENCOUNTER', entityType: 'Encounter', encounterId: 'e-1', status: 'admitted', version: 4 };

  it("takes a part's fields from the part's record only: a copy left on an unmigrated encounter record does not show through", () => {
    const unmigrated = { ...record, choiceList: { path: 'snf', providers: [] }, patientChoice: { chosenProviderIds: ['old'] } };
    // The part's record as the new code wrote it, having removed the choice (a revised path).
    const part = {
      pk: 'ENCOUNTER#e-1',
      sk: 'ENCOUNTER#patientChoice',
      entityType: 'PatientChoice',
      encounterId: 'e-1',
      part: 'patientChoice',
      version: 2,
      choiceList: { path: 'irf', providers: [] },
    };
    const stay = assembleStay([unmigrated, part])!;
    expect(stay.choiceList).toEqual({ path: 'irf', providers: [] });
    expect(stay).not.toHaveProperty('patientChoice');
    expect(stay.partVersions).toEqual({ patientChoice: 2 });
    expect(stay.version).toBe(4);
  });

  it('keeps what an unmigrated record holds for a part that has no record yet, and no storage keys', () => {
    const stay = assembleStay([{ ...record, goalsOfCare: { level: 'comfort-focused' } }])!;
    expect(stay.goalsOfCare).toEqual({ level: 'comfort-focused' });
    expect(stay).not.toHaveProperty('pk');
    expect(stay).not.toHaveProperty('partVersions');
  });

  it('is no stay without the encounter record', () => {
    expect(assembleStay([{ pk: 'ENCOUNTER#e-1', sk: 'ENCOUNTER#goalsOfCare', entityType: 'GoalsOfCare', version: 1 }])).toBeUndefined();
  });
});
