import { describe, expect, it } from 'vitest';
import { assessReadmissionRisk } from '../../shared/domain/risk/encounter-risk';
import { derivePriorUtilization, type PriorStay } from '../../shared/domain/risk/prior-utilization';
import { charlsonCategories, charlsonScore, hospitalScore, lace } from '../../shared/domain/risk/readmission-risk';

const laceBase = { lengthOfStayDays: 0, emergentAdmission: false, charlson: 0, edVisitsPrior6Months: 0 };
const pointsOf = (items: Array<{ item: string; points: number }>, prefix: string) => items.find((i) => i.item.startsWith(prefix))!.points;

describe('LACE, item by item (van Walraven 2010)', () => {
  it.each([
    [0, 0],
    [1, 1],
    [2, 2],
    [3, 3],
    [4, 4],
    [6, 4],
    [7, 5],
    [13, 5],
    [14, 7],
    [60, 7],
  ])('L: %i days → %i points', (days, points) => {
    expect(pointsOf(lace({ ...laceBase, lengthOfStayDays: days }).items, 'L')).toBe(points);
  });

  it.each([
    [false, 0],
    [true, 3],
  ])('A: emergent %s → %i', (emergent, points) => {
    expect(pointsOf(lace({ ...laceBase, emergentAdmission: emergent }).items, 'A')).toBe(points);
  });

  it.each([
    [0, 0],
    [1, 1],
    [2, 2],
    [3, 3],
    [4, 5],
    [9, 5],
  ])('C: Charlson %i → %i', (charlson, points) => {
    expect(pointsOf(lace({ ...laceBase, charlson }).items, 'C')).toBe(points);
  });

  it.each([
    [0, 0],
    [1, 1],
    [4, 4],
    [7, 4],
  ])('E: %i ED visits → %i (at most 4)', (visits, points) => {
    expect(pointsOf(lace({ ...laceBase, edVisitsPrior6Months: visits }).items, 'E')).toBe(points);
  });

  it.each([
    [{ lengthOfStayDays: 4 }, 4, 'low'],
    [{ lengthOfStayDays: 2, emergentAdmission: true }, 5, 'moderate'],
    [{ lengthOfStayDays: 4, emergentAdmission: true, edVisitsPrior6Months: 2 }, 9, 'moderate'],
    [{ lengthOfStayDays: 4, emergentAdmission: true, edVisitsPrior6Months: 3 }, 10, 'high'],
    [{ lengthOfStayDays: 14, emergentAdmission: true, charlson: 4, edVisitsPrior6Months: 9 }, 19, 'high'],
  ])('bands at their boundaries: %j → %i %s', (input, score, tier) => {
    expect(lace({ ...laceBase, ...input })).toMatchObject({ score, tier });
  });
});

describe('HOSPITAL score, item by item (Donzé 2013)', () => {
  const base = {
    oncologyService: false,
    procedureDuringStay: false,
    urgentOrEmergentAdmission: false,
    admissionsPrior12Months: 0,
    lengthOfStayDays: 1,
  };

  it.each([
    [{ haemoglobinAtDischarge: 11.9 }, 'H', 1],
    [{ haemoglobinAtDischarge: 12 }, 'H', 0],
    [{}, 'H', 0],
    [{ oncologyService: true }, 'O', 2],
    [{ sodiumAtDischarge: 134 }, 'S', 1],
    [{ sodiumAtDischarge: 135 }, 'S', 0],
    [{ procedureDuringStay: true }, 'P', 1],
    [{ urgentOrEmergentAdmission: true }, 'IT', 1],
    [{ admissionsPrior12Months: 1 }, 'A', 0],
    [{ admissionsPrior12Months: 2 }, 'A', 2],
    [{ admissionsPrior12Months: 5 }, 'A', 2],
    [{ admissionsPrior12Months: 6 }, 'A', 5],
    [{ lengthOfStayDays: 4 }, 'L', 0],
    [{ lengthOfStayDays: 5 }, 'L', 2],
  ])('%j → %s = %i', (input, item, points) => {
    expect(pointsOf(hospitalScore({ ...base, ...input }).items, `${item}:`)).toBe(points);
  });

  it.each([
    [{ admissionsPrior12Months: 2, lengthOfStayDays: 5 }, 4, 'low'],
    [{ admissionsPrior12Months: 2, lengthOfStayDays: 5, procedureDuringStay: true }, 5, 'intermediate'],
    [{ admissionsPrior12Months: 2, lengthOfStayDays: 5, oncologyService: true }, 6, 'intermediate'],
    [{ admissionsPrior12Months: 6, lengthOfStayDays: 5 }, 7, 'high'],
    [
      {
        haemoglobinAtDischarge: 9,
        oncologyService: true,
        sodiumAtDischarge: 130,
        procedureDuringStay: true,
        urgentOrEmergentAdmission: true,
        admissionsPrior12Months: 8,
        lengthOfStayDays: 9,
      },
      13,
      'high',
    ],
  ])('bands at their boundaries: %j → %i %s', (input, score, tier) => {
    expect(hospitalScore({ ...base, ...input })).toMatchObject({ score, tier });
  });

  it('says when a lab was not measured', () => {
    expect(hospitalScore(base).items[0]).toEqual({ item: 'H: haemoglobin < 12 g/dL at discharge', value: 'not measured', points: 0 });
  });
});

describe('Charlson from ICD-10 (Quan 2005)', () => {
  it.each([
    ['I21.4', 'myocardial-infarction', 1],
    ['I50.9', 'congestive-heart-failure', 1],
    ['I70.2', 'peripheral-vascular-disease', 1],
    ['I63.9', 'cerebrovascular-disease', 1],
    ['F03', 'dementia', 1],
    ['J44.1', 'chronic-pulmonary-disease', 1],
    ['M32.1', 'connective-tissue-disease', 1],
    ['K25.0', 'peptic-ulcer', 1],
    ['K70.3', 'mild-liver-disease', 1],
    ['E11.9', 'diabetes-uncomplicated', 1],
    ['E11.2', 'diabetes-with-end-organ-damage', 2],
    ['G81.9', 'hemiplegia', 2],
    ['N18.5', 'renal-disease', 2],
    ['C34.1', 'malignancy', 2],
    ['C91.0', 'malignancy', 2],
    ['K72.1', 'moderate-severe-liver-disease', 3],
    ['C78.0', 'metastatic-solid-tumour', 6],
    ['B20', 'aids', 6],
  ])('%s is %s (%i)', (code, category, weight) => {
    expect(charlsonCategories([code])).toEqual([category]);
    expect(charlsonScore([code])).toBe(weight);
  });

  it('applies the hierarchy: the severe form replaces the mild one', () => {
    expect(charlsonScore(['K70.3', 'K72.1'])).toBe(3);
    expect(charlsonScore(['E11.9', 'E11.2'])).toBe(2);
    expect(charlsonScore(['C34.1', 'C78.0'])).toBe(6);
  });

  it('adds categories, counts each once, and ignores codes outside the mapping', () => {
    expect(charlsonScore(['I50.9', 'I50.1', 'J44.1', 'N18.4', 'S72.0', 'z99.2'])).toBe(1 + 1 + 2);
  });
});

describe('length of stay in the scores: midnights, local dates', () => {
  const inputs = {
    conditions: [],
    edVisitsPrior6Months: 0,
    admissionsPrior12Months: 0,
    oncologyService: false,
    procedureDuringStay: false,
  };
  const stay = (admittedAt: string, dischargedAt: string) => ({
    admittedAt,
    admissionType: 'elective' as const,
    discharge: { disposition: 'home' as const, dischargedAt },
  });

  it('reaches LACE\'s "<1 day" row for a stay discharged the day it began (facility time)', () => {
    // Phoenix 09:00 to 21:30 local: two UTC dates, one local day.
    const risk = assessReadmissionRisk(
      stay('2026-06-10T16:00:00Z', '2026-06-11T04:30:00Z'),
      inputs,
      new Date('2026-06-12T00:00:00Z'),
      'America/Phoenix',
    );
    expect(risk.lengthOfStayDays).toBe(0);
    expect(risk.lace.items[0]).toEqual({ item: 'L: length of stay (days)', value: 0, points: 0 });
  });

  it('counts the midnights the stay spans in its zone, so HOSPITAL\'s "≥ 5 days" is the same stay in every facility', () => {
    const admitted = '2026-10-21T23:30:00Z';
    const discharged = '2026-10-26T08:00:00Z';
    // London: 22 Oct 00:30 BST → 26 Oct 08:00 GMT, 4 midnights; in UTC it would be 5.
    expect(
      assessReadmissionRisk(stay(admitted, discharged), inputs, new Date(discharged), 'Europe/London').hospital.items.at(-1),
    ).toMatchObject({ value: 4, points: 0 });
    expect(assessReadmissionRisk(stay(admitted, discharged), inputs, new Date(discharged), 'UTC').hospital.items.at(-1)).toMatchObject({
      value: 5,
      points: 2,
    });
  });
});

describe('prior ED visits and admissions, derived from the stays Carepath holds', () => {
  const zone = 'America/Chicago';
  const index = { encounterId: 'idx', admittedAt: '2027-05-20T15:00:00Z' };
  const s = (encounterId: string, cls: PriorStay['class'], admittedAt: string, status: PriorStay['status'] = 'discharged'): PriorStay => ({
    encounterId,
    class: cls,
    admittedAt,
    status,
  });
  const stays: PriorStay[] = [
    s('idx', 'inpatient', index.admittedAt),
    s('in-5mo', 'inpatient', '2026-12-28T12:00:00Z'),
    s('in-2mo', 'inpatient', '2027-03-02T12:00:00Z'),
    s('in-13mo', 'inpatient', '2026-04-10T12:00:00Z'),
    // 20 May 2026 00:30 CDT: the first local day of the 12-month window.
    s('in-edge', 'inpatient', '2026-05-20T05:30:00Z'),
    // 19 May 2026 23:30 CDT: the day before (in UTC it is already the 20th).
    s('in-before-edge', 'inpatient', '2026-05-20T04:30:00Z'),
    s('in-cancelled', 'inpatient', '2027-01-15T12:00:00Z', 'cancelled'),
    s('obs-1', 'observation', '2027-02-01T12:00:00Z'),
    s('ed-4mo', 'emergency', '2027-01-10T12:00:00Z'),
    s('ed-1mo', 'emergency', '2027-04-22T03:00:00Z'),
    s('ed-7mo', 'emergency', '2026-10-01T12:00:00Z'),
    s('ed-leading', 'emergency', '2027-05-20T06:00:00Z'),
    s('in-later', 'inpatient', '2027-06-30T12:00:00Z'),
  ];

  it('counts inpatient admissions in the 12 months and ED visits in the 6 months before the admission', () => {
    const derived = derivePriorUtilization(index, stays, zone, new Date('2027-05-21T00:00:00Z'));
    expect(derived.admissionsPrior12Months).toEqual({ count: 3, encounterIds: ['in-edge', 'in-5mo', 'in-2mo'], since: '2026-05-20' });
    // Not the visit that led to this admission (9 h before it), not one 7 months back.
    expect(derived.edVisitsPrior6Months).toEqual({ count: 2, encounterIds: ['ed-4mo', 'ed-1mo'], since: '2026-11-20' });
  });

  it("uses a clinician's count when given, and shows the derived one beside it", () => {
    const derived = derivePriorUtilization(index, stays, zone, new Date('2027-05-21T00:00:00Z'));
    const encounter = { admittedAt: index.admittedAt, admissionType: 'emergency' as const };
    const risk = assessReadmissionRisk(
      encounter,
      { conditions: [], oncologyService: false, procedureDuringStay: false, edVisitsPrior6Months: 5, derived },
      new Date('2027-05-21T00:00:00Z'),
      zone,
    );
    expect(risk.priorUse.edVisitsPrior6Months).toMatchObject({ used: 5, source: 'manual', manual: 5, derived: { count: 2 } });
    expect(risk.priorUse.admissionsPrior12Months).toMatchObject({ used: 3, source: 'derived', derived: { count: 3 } });
    expect(risk.lace.items.find((i) => i.item.startsWith('E'))).toMatchObject({ value: 5, points: 4 });
    expect(risk.hospital.items.find((i) => i.item.startsWith('A'))).toMatchObject({ value: 3, points: 2 });
  });
});
