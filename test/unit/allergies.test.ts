import { describe, expect, it } from 'vitest';
import { CROSS_SENSITIVITY_RULES } from '../../shared/domain/medications/allergy-cross-sensitivity';
import {
  allergyListStatus,
  nextAllergyList,
  resolveSubstance,
  toFhirAllergyIntolerances,
  type AllergyInput,
  type AllergyList,
} from '../../shared/domain/medications/allergies';
import {
  acknowledgeAllergyAlert,
  recheckAllergies,
  reconcile,
  type MedicationInput,
  type Recorder,
} from '../../shared/domain/medications/reconciliation';
import { classMembers } from '../../shared/domain/medications/vocabulary';
import { allergyListBody } from '../../shared/schemas/allergies';
import { interpretAdt } from '../../shared/domain/adt/adt-message';
import { applyAdtToEncounter, encounterFromAdt } from '../../shared/domain/adt/apply-to-encounter';
import type { Encounter, Patient } from '../../shared/domain/encounter';
import { transitionBundle } from '../../shared/domain/transition-record';
import { adt } from '../fixtures/adt';

const now = new Date('2026-10-04T09:30:00Z');
const nurse: Recorder = { who: 'client-7/rn-synthetic', roles: ['nurse'] };
const pharmacist: Recorder = { who: 'client-7/pharmd-synthetic', roles: ['pharmacist'] };
let counter = 0;
const ids = { patientId: 'p-synthetic', facilityId: 'F9', newId: () => `a-${++counter}` };

const drugAllergy = (text: string, more: Partial<AllergyInput> = {}): AllergyInput => ({
  substance: { text },
  category: 'medication',
  clinicalStatus: 'active',
  verificationStatus: 'confirmed',
  ...more,
});
const listOf = (...entries: AllergyInput[]): AllergyList =>
  nextAllergyList(undefined, { noKnownDrugAllergies: false, entries }, nurse, now, ids);
const med = (drug: string, decision: MedicationInput['decision'] = 'new'): MedicationInput => ({
  drug,
  decision,
  ...(decision !== 'new' ? { home: { dose: '1 tab' } } : {}),
  ...(decision !== 'stopped' ? { discharge: { dose: decision === 'changed' ? '2 tabs' : '1 tab' } } : {}),
  reason: 'as assessed',
});
const alertsFor = (list: AllergyList, ...drugs: MedicationInput[]) =>
  reconcile(drugs, pharmacist, now, undefined, list).allergyAlerts ?? [];

describe('allergy substances read through the drug vocabulary', () => {
  it.each([
    ['Keflex', ['cephalexin']],
    ['cefuroxime axetil', ['cefuroxime']],
    ['Primaxin', ['imipenem', 'cilastatin']],
    ['AMOXIL 500 mg', ['amoxicillin']],
  ])('%s is %j', (text, ingredients) => {
    expect(resolveSubstance({ text }, 'medication')).toMatchObject({
      kind: 'ingredients',
      ingredients: ingredients.map((name) => ({ name })),
    });
  });

  it('reads class names people write ("Sulfa", "Cephalosporins") as the vocabulary class', () => {
    expect(resolveSubstance({ text: 'Sulfa' }, 'medication')).toMatchObject({ kind: 'class', drugClass: 'sulfonamide-antibiotic' });
    expect(resolveSubstance({ text: 'Cephalosporins' }, 'medication')).toMatchObject({ kind: 'class', drugClass: 'cephalosporin' });
  });

  it('takes an RxCUI, and keeps food and latex out of the drug check', () => {
    expect(resolveSubstance({ rxcui: '723' }, 'medication')).toMatchObject({
      kind: 'ingredients',
      text: 'amoxicillin',
      ingredients: [{ name: 'amoxicillin', rxcui: '723' }],
    });
    expect(resolveSubstance({ text: 'Latex' }, 'environment')).toMatchObject({ kind: 'not-a-drug' });
    expect(resolveSubstance({ text: 'Sesame' }, 'food')).toMatchObject({ kind: 'not-a-drug' });
    expect(resolveSubstance({ text: 'Blorptamide' }, 'medication')).toMatchObject({ kind: 'unrecognised' });
  });
});

describe('allergy check at reconciliation', () => {
  it('matches the allergen through brand names, salts and RxCUIs', () => {
    const list = listOf(
      drugAllergy('', { substance: { rxcui: '10180' }, severity: 'moderate', reaction: 'rash' }),
      drugAllergy('ceftriaxone sodium', { reaction: 'hives' }),
    );
    const alerts = alertsFor(list, med('Septra DS'), med('Rocephin'));
    expect(alerts.map((a) => [a.drug, a.ingredient, a.match, a.severity])).toEqual([
      ['Septra DS', 'sulfamethoxazole', 'substance', 'moderate'],
      ['Rocephin', 'ceftriaxone', 'substance', 'moderate'],
    ]);
  });

  it.each([
    ['severe reaction', { severity: 'severe' as const }],
    ['high criticality', { criticality: 'high' as const, severity: 'mild' as const }],
  ])('blocks discharge for an allergy with a %s until a pharmacist acknowledges it', (_, more) => {
    const list = listOf(drugAllergy('penicillin V potassium', { reaction: 'angioedema', ...more }));
    const rec = reconcile([med('Augmentin')], pharmacist, now, undefined, list);
    expect(rec.status).toBe('blocked');
    expect(rec.allergyAlerts).toEqual([
      expect.objectContaining({ ingredient: 'amoxicillin', match: 'same-class', ruleId: 'penicillin-class', severity: 'high' }),
    ]);
    const done = acknowledgeAllergyAlert(rec, rec.allergyAlerts![0]!.alertId, {
      by: pharmacist,
      reason: 'Tolerated amoxicillin challenge in clinic',
      at: now.toISOString(),
    });
    expect(done.status).toBe('complete');
    // The acknowledgement carries over a re-reconciliation of the same ingredient and allergy, not a new allergy entry.
    expect(reconcile([med('amoxicillin trihydrate')], pharmacist, now, done, list).status).toBe('complete');
    expect(
      reconcile(
        [med('amoxicillin trihydrate')],
        pharmacist,
        now,
        done,
        listOf(drugAllergy('penicillin V potassium', { reaction: 'angioedema', ...more })),
      ).status,
    ).toBe('blocked');
  });

  it('checks continued and changed drugs, not stopped ones', () => {
    const list = listOf(drugAllergy('Naprosyn', { severity: 'severe' }));
    expect(alertsFor(list, med('naproxen sodium', 'continued'))).toHaveLength(1);
    expect(alertsFor(list, med('Aleve', 'changed'))).toHaveLength(1);
    expect(alertsFor(list, med('Aleve', 'stopped'))).toEqual([]);
  });

  it('ignores refuted, entered-in-error, inactive and resolved allergies, and non-drug ones', () => {
    const list = listOf(
      drugAllergy('cefazolin', { verificationStatus: 'refuted', severity: 'severe' }),
      drugAllergy('cefazolin', { verificationStatus: 'entered-in-error', clinicalStatus: undefined, severity: 'severe' }),
      drugAllergy('cefazolin', { clinicalStatus: 'inactive', severity: 'severe' }),
      drugAllergy('cefazolin', { clinicalStatus: 'resolved', severity: 'severe' }),
      { substance: { text: 'Eggs' }, category: 'food', clinicalStatus: 'active', verificationStatus: 'confirmed', severity: 'severe' },
    );
    expect(alertsFor(list, med('Ancef'))).toEqual([]);
  });

  it('checks an unconfirmed allergy like a confirmed one', () => {
    expect(
      alertsFor(listOf(drugAllergy('Keflex', { verificationStatus: 'unconfirmed', severity: 'severe' })), med('cephalexin monohydrate')),
    ).toEqual([expect.objectContaining({ match: 'substance', severity: 'high' })]);
  });

  it.each([
    // [allergy, drug, rule, match, severity of the alert for a severe allergy]
    ['ampicillin', 'Keflex', 'r1-side-chain-ampicillin', 'shared-side-chain', 'high'],
    ['cefaclor', 'ampicillin sodium', 'r1-side-chain-ampicillin', 'shared-side-chain', 'high'],
    ['Amoxil', 'cefprozil', 'r1-side-chain-amoxicillin', 'shared-side-chain', 'high'],
    ['Fortaz', 'Azactam', 'r1-side-chain-ceftazidime', 'shared-side-chain', 'high'],
    ['dicloxacillin', 'nafcillin', 'penicillin-class', 'same-class', 'high'],
    ['PCN', 'piperacillin/tazobactam', 'penicillin-class', 'same-class', 'high'],
    ['nafcillin', 'cefepime', 'penicillin-cephalosporin', 'low', 'low'],
    ['piperacillin', 'Merrem', 'penicillin-carbapenem', 'low', 'low'],
  ])('an allergy to %s flags %s (%s)', (allergy, drug, ruleId, match, severity) => {
    const alerts = alertsFor(listOf(drugAllergy(allergy, { severity: 'severe', reaction: 'urticaria' })), med(drug));
    expect(alerts).toEqual([expect.objectContaining({ ruleId, match, severity })]);
  });

  it('shows a low cross-sensitivity as a warning that never blocks', () => {
    const rec = reconcile(
      [med('ertapenem')],
      pharmacist,
      now,
      undefined,
      listOf(drugAllergy('penicillin', { severity: 'severe', criticality: 'high' })),
    );
    expect(rec.allergyAlerts).toEqual([
      expect.objectContaining({ match: 'low', severity: 'low', source: expect.stringContaining('JAMA 2019') }),
    ]);
    expect(rec.status).toBe('complete');
  });

  it('does not flag non-antibiotic sulfonamides for a sulfonamide antibiotic allergy (Strom 2003)', () => {
    const list = listOf(drugAllergy('Sulfa', { severity: 'severe', reaction: 'Stevens-Johnson syndrome' }));
    expect(alertsFor(list, med('Lasix'), med('HCTZ'), med('Celebrex'))).toEqual([]);
    expect(alertsFor(list, med('Bactrim'))).toEqual([
      expect.objectContaining({ match: 'substance', ingredient: 'sulfamethoxazole', severity: 'high' }),
    ]);
    expect(CROSS_SENSITIVITY_RULES.find((r) => r.id === 'sulfonamide-antibiotic-nonantibiotic')).toMatchObject({ risk: 'none' });
  });

  it('a class allergy ("Penicillins") flags each member as the substance itself', () => {
    expect(alertsFor(listOf(drugAllergy('Penicillins', { criticality: 'high' })), med('Zosyn'))).toEqual([
      expect.objectContaining({ ingredient: 'piperacillin', match: 'substance', severity: 'high' }),
    ]);
  });

  it('a class allergy ("NSAIDs") flags each member, blocking only when severe or high criticality', () => {
    const mild = alertsFor(listOf(drugAllergy('NSAIDs', { severity: 'mild', reaction: 'dyspepsia' })), med('Mobic'), med('Voltaren'));
    expect(mild.map((a) => [a.ingredient, a.severity])).toEqual([
      ['meloxicam', 'moderate'],
      ['diclofenac', 'moderate'],
    ]);
  });

  it('checks a stored reconciliation again when the list changes, keeping acknowledgements of alerts still there', () => {
    const before = reconcile([med('Keflex'), med('Eliquis')], pharmacist, now);
    expect(before).toMatchObject({ status: 'complete', allergyAlerts: [], allergyCheck: { listStatus: 'not-asked' } });
    const list = listOf(drugAllergy('ampicillin', { severity: 'severe', reaction: 'anaphylaxis' }));
    const after = recheckAllergies(before, list);
    expect(after).toMatchObject({
      status: 'blocked',
      reconciledAt: before.reconciledAt,
      allergyCheck: { listStatus: 'recorded', listVersion: 1 },
    });
    expect(after.allergyAlerts).toEqual([
      expect.objectContaining({ ingredient: 'cephalexin', match: 'shared-side-chain', severity: 'high' }),
    ]);
    const acknowledged = acknowledgeAllergyAlert(after, after.allergyAlerts![0]!.alertId, {
      by: pharmacist,
      reason: 'Graded challenge tolerated today',
      at: now.toISOString(),
    });
    expect(recheckAllergies(acknowledged, list).status).toBe('complete');
    const refuted = nextAllergyList(
      list,
      {
        noKnownDrugAllergies: false,
        entries: [
          { ...drugAllergy('ampicillin', { severity: 'severe', verificationStatus: 'refuted' }), allergyId: list.entries[0]!.allergyId },
        ],
      },
      pharmacist,
      now,
      ids,
    );
    expect(recheckAllergies(after, refuted)).toMatchObject({ status: 'complete', allergyAlerts: [] });
  });

  it('records which list it checked, and says so when nobody has asked', () => {
    expect(reconcile([med('Keflex')], pharmacist, now).allergyCheck).toEqual({ listStatus: 'not-asked', listVersion: 0, unchecked: [] });
    const nkda = nextAllergyList(undefined, { noKnownDrugAllergies: true, entries: [] }, nurse, now, ids);
    expect(reconcile([med('Keflex')], pharmacist, now, undefined, nkda)).toMatchObject({
      allergyAlerts: [],
      allergyCheck: { listStatus: 'no-known-drug-allergies', listVersion: 1 },
    });
    const unknown = listOf(drugAllergy('Blorptamide', { severity: 'severe' }));
    expect(reconcile([med('Keflex')], pharmacist, now, undefined, unknown).allergyCheck).toMatchObject({
      listStatus: 'recorded',
      unchecked: ['Blorptamide'],
    });
  });

  it('every cross-sensitivity rule names a source and only vocabulary classes', () => {
    for (const rule of CROSS_SENSITIVITY_RULES) {
      expect(rule.source.length).toBeGreaterThan(20);
      for (const side of [rule.allergen, rule.drug]) {
        for (const alt of side.split('|')) if (alt.startsWith('class:')) expect(classMembers(alt.slice(6)).length).toBeGreaterThan(0);
      }
    }
  });
});

describe('the allergy list', () => {
  it('keeps "no known drug allergies" distinct from "not asked"', () => {
    expect(allergyListStatus(undefined)).toBe('not-asked');
    const nkda = nextAllergyList(
      undefined,
      {
        noKnownDrugAllergies: true,
        entries: [{ substance: { text: 'Peanut' }, category: 'food', clinicalStatus: 'active', verificationStatus: 'confirmed' }],
      },
      nurse,
      now,
      ids,
    );
    expect(allergyListStatus(nkda)).toBe('no-known-drug-allergies');
  });

  it('refuses NKDA beside an active drug allergy, a dropped entry and an unknown id', () => {
    expect(() => nextAllergyList(undefined, { noKnownDrugAllergies: true, entries: [drugAllergy('codeine')] }, nurse, now, ids)).toThrow(
      expect.objectContaining({ issues: [{ field: 'entries.0', reason: expect.stringContaining('contradicts') }] }),
    );
    const first = listOf(drugAllergy('codeine', { reaction: 'vomiting', type: 'intolerance' }));
    expect(() => nextAllergyList(first, { noKnownDrugAllergies: false, entries: [] }, nurse, now, ids)).toThrow(
      expect.objectContaining({ issues: [{ field: 'entries', reason: expect.stringContaining('entered-in-error') }] }),
    );
    expect(() =>
      nextAllergyList(first, { noKnownDrugAllergies: false, entries: [{ ...drugAllergy('codeine'), allergyId: 'nope' }] }, nurse, now, ids),
    ).toThrow(
      expect.objectContaining({
        issues: expect.arrayContaining([{ field: 'entries.0.allergyId', reason: 'is not an entry of this allergy list' }]),
      }),
    );
  });

  it('keeps the recorder of an unchanged entry, and records the token for a changed one', () => {
    const first = listOf(drugAllergy('codeine', { reaction: 'vomiting' }), drugAllergy('morphine', { reaction: 'itching' }));
    const [codeine, morphine] = first.entries;
    const later = new Date('2026-10-05T08:00:00Z');
    const next = nextAllergyList(
      first,
      {
        noKnownDrugAllergies: false,
        entries: [
          { ...drugAllergy('codeine', { reaction: 'vomiting' }), allergyId: codeine!.allergyId },
          { ...drugAllergy('morphine', { reaction: 'itching', verificationStatus: 'refuted' }), allergyId: morphine!.allergyId },
        ],
      },
      pharmacist,
      later,
      ids,
    );
    expect(next.version).toBe(2);
    expect(next.entries[0]).toEqual(codeine);
    // Given by code only, unchanged: still unchanged (its stored text is the ingredient name).
    const byCode = listOf({
      substance: { rxcui: '723' },
      category: 'medication',
      clinicalStatus: 'active',
      verificationStatus: 'confirmed',
    });
    const again = nextAllergyList(
      byCode,
      {
        noKnownDrugAllergies: false,
        entries: [
          {
            substance: { rxcui: '723' },
            category: 'medication',
            clinicalStatus: 'active',
            verificationStatus: 'confirmed',
            allergyId: byCode.entries[0]!.allergyId,
          },
        ],
      },
      pharmacist,
      later,
      ids,
    );
    expect(again.entries[0]).toEqual(byCode.entries[0]);
    expect(next.entries[1]).toMatchObject({
      allergyId: morphine!.allergyId,
      verificationStatus: 'refuted',
      recorder: pharmacist,
      recordedAt: later.toISOString(),
    });
  });

  it('schema: a recorder in the body, clinicalStatus on an entered-in-error entry, and a code naming another drug are 400s', () => {
    const bad = allergyListBody.safeParse({
      noKnownDrugAllergies: false,
      entries: [
        { ...drugAllergy('codeine'), recorder: 'Dr Who' },
        { substance: { text: 'morphine' }, category: 'medication', clinicalStatus: 'active', verificationStatus: 'entered-in-error' },
        { substance: { text: 'Keflex', rxcui: '723' }, category: 'medication', clinicalStatus: 'active', verificationStatus: 'confirmed' },
        { substance: { text: 'latex' }, category: 'environment', verificationStatus: 'confirmed' },
      ],
    });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join('.'))).toEqual([
      'entries.0.recorder',
      'entries.1.clinicalStatus',
      'entries.2.substance.rxcui',
      'entries.3.clinicalStatus',
    ]);
  });
});

describe('AllergyIntolerance (FHIR R4)', () => {
  it('maps statuses, reaction and severity, RxNorm codes, and NKDA as its own resource', () => {
    const list = nextAllergyList(
      undefined,
      {
        noKnownDrugAllergies: true,
        entries: [
          {
            substance: { text: 'Amoxil' },
            category: 'medication',
            clinicalStatus: 'resolved',
            verificationStatus: 'refuted',
            reaction: 'rash',
            severity: 'mild',
            criticality: 'low',
          },
          { substance: { text: 'shellfish' }, category: 'food', verificationStatus: 'entered-in-error' },
        ],
      },
      nurse,
      now,
      ids,
    );
    const [amoxil, shellfish, nkda] = toFhirAllergyIntolerances(list);
    expect(amoxil).toMatchObject({
      resourceType: 'AllergyIntolerance',
      clinicalStatus: { coding: [{ code: 'resolved' }] },
      verificationStatus: { coding: [{ code: 'refuted' }] },
      category: ['medication'],
      criticality: 'low',
      code: { text: 'Amoxil', coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '723' }] },
      patient: { reference: 'Patient/p-synthetic' },
      recordedDate: now.toISOString(),
      reaction: [{ manifestation: [{ text: 'rash' }], severity: 'mild' }],
    });
    expect(shellfish).not.toHaveProperty('clinicalStatus');
    expect(nkda).toMatchObject({
      code: { coding: [{ system: 'http://snomed.info/sct', code: '409137002' }] },
      verificationStatus: { coding: [{ code: 'confirmed' }] },
    });
    expect(toFhirAllergyIntolerances(undefined)).toEqual([]);
  });
});

describe('the transition record', () => {
  it('carries the allergy list beside the reconciled medications', () => {
    const a01 = interpretAdt(adt({ event: 'A01', mrn: 'MRN-31', visit: 'V-31', at: '202610010800' }));
    if (!a01.ok) throw new Error(a01.problem.reason);
    const created = encounterFromAdt(a01.message as never, { encounterId: 'e-31', patientId: 'p-synthetic', facilityId: 'F9' }, now);
    const encounter = { ...created, ...applyAdtToEncounter(created, a01.message as never, 'A01').patch } as Encounter;
    const patient: Patient = {
      patientId: 'p-synthetic',
      facilityId: 'F9',
      identifiers: [{ system: 'urn:example:mrn', value: 'MRN-31' }],
      version: 1,
    } as Patient;
    const allergies = listOf(drugAllergy('Keflex', { reaction: 'hives', severity: 'moderate' }));
    const types = (parts: Parameters<typeof transitionBundle>[0]) =>
      transitionBundle(parts, now).entry!.map((e) => e.resource!.resourceType);
    expect(types({ patient, encounter, careTeam: [], observations: [], allergies })).toContain('AllergyIntolerance');
    expect(types({ patient, encounter, careTeam: [], observations: [] })).not.toContain('AllergyIntolerance');
  });
});
