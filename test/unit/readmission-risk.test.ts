import { describe, expect, it } from 'vitest';
import { charlsonCategories, charlsonScore, hospitalScore, lace, lengthOfStayDays } from '../../shared/domain/risk/readmission-risk';

const laceBase = { lengthOfStayDays: 0, emergentAdmission: false, charlson: 0, edVisitsPrior6Months: 0 };
const pointsOf = (items: Array<{ item: string; points: number }>, prefix: string) => items.find((i) => i.item.startsWith(prefix))!.points;

describe('LACE, item by item (van Walraven 2010)', () => {
  it.each([
    [0, 0], [1, 1], [2, 2], [3, 3], [4, 4], [6, 4], [7, 5], [13, 5], [14, 7], [60, 7],
  ])('L: %i days → %i points', (days, points) => {
    expect(pointsOf(lace({ ...laceBase, lengthOfStayDays: days }).items, 'L')).toBe(points);
  });

  it.each([[false, 0], [true, 3]])('A: emergent %s → %i', (emergent, points) => {
    expect(pointsOf(lace({ ...laceBase, emergentAdmission: emergent }).items, 'A')).toBe(points);
  });

  it.each([[0, 0], [1, 1], [2, 2], [3, 3], [4, 5], [9, 5]])('C: Charlson %i → %i', (charlson, points) => {
    expect(pointsOf(lace({ ...laceBase, charlson }).items, 'C')).toBe(points);
  });

  it.each([[0, 0], [1, 1], [4, 4], [7, 4]])('E: %i ED visits → %i (at most 4)', (visits, points) => {
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
  const base = { oncologyService: false, procedureDuringStay: false, urgentOrEmergentAdmission: false, admissionsPrior12Months: 0, lengthOfStayDays: 1 };

  it.each([
    [{ haemoglobinAtDischarge: 11.9 }, 'H', 1], [{ haemoglobinAtDischarge: 12 }, 'H', 0], [{}, 'H', 0],
    [{ oncologyService: true }, 'O', 2],
    [{ sodiumAtDischarge: 134 }, 'S', 1], [{ sodiumAtDischarge: 135 }, 'S', 0],
    [{ procedureDuringStay: true }, 'P', 1],
    [{ urgentOrEmergentAdmission: true }, 'IT', 1],
    [{ admissionsPrior12Months: 1 }, 'A', 0], [{ admissionsPrior12Months: 2 }, 'A', 2], [{ admissionsPrior12Months: 5 }, 'A', 2], [{ admissionsPrior12Months: 6 }, 'A', 5],
    [{ lengthOfStayDays: 4 }, 'L', 0], [{ lengthOfStayDays: 5 }, 'L', 2],
  ])('%j → %s = %i', (input, item, points) => {
    expect(pointsOf(hospitalScore({ ...base, ...input }).items, `${item}:`)).toBe(points);
  });

  it.each([
    [{ admissionsPrior12Months: 2, lengthOfStayDays: 5 }, 4, 'low'],
    [{ admissionsPrior12Months: 2, lengthOfStayDays: 5, procedureDuringStay: true }, 5, 'intermediate'],
    [{ admissionsPrior12Months: 2, lengthOfStayDays: 5, oncologyService: true }, 6, 'intermediate'],
    [{ admissionsPrior12Months: 6, lengthOfStayDays: 5 }, 7, 'high'],
    [{ haemoglobinAtDischarge: 9, oncologyService: true, sodiumAtDischarge: 130, procedureDuringStay: true, urgentOrEmergentAdmission: true, admissionsPrior12Months: 8, lengthOfStayDays: 9 }, 13, 'high'],
  ])('bands at their boundaries: %j → %i %s', (input, score, tier) => {
    expect(hospitalScore({ ...base, ...input })).toMatchObject({ score, tier });
  });

  it('says when a lab was not measured', () => {
    expect(hospitalScore(base).items[0]).toEqual({ item: 'H: haemoglobin < 12 g/dL at discharge', value: 'not measured', points: 0 });
  });
});

describe('Charlson from ICD-10 (Quan 2005)', () => {
  it.each([
    ['I21.4', 'myocardial-infarction', 1], ['I50.9', 'congestive-heart-failure', 1], ['I70.2', 'peripheral-vascular-disease', 1],
    ['I63.9', 'cerebrovascular-disease', 1], ['F03', 'dementia', 1], ['J44.1', 'chronic-pulmonary-disease', 1],
    ['M32.1', 'connective-tissue-disease', 1], ['K25.0', 'peptic-ulcer', 1], ['K70.3', 'mild-liver-disease', 1],
    ['E11.9', 'diabetes-uncomplicated', 1], ['E11.2', 'diabetes-with-end-organ-damage', 2], ['G81.9', 'hemiplegia', 2],
    ['N18.5', 'renal-disease', 2], ['C34.1', 'malignancy', 2], ['C91.0', 'malignancy', 2], ['K72.1', 'moderate-severe-liver-disease', 3],
    ['C78.0', 'metastatic-solid-tumour', 6], ['B20', 'aids', 6],
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

describe('lengthOfStayDays', () => {
  it('counts admission and discharge day both', () => {
    expect(lengthOfStayDays('2026-11-20T08:00:00Z', '2026-11-20T17:00:00Z')).toBe(1);
    expect(lengthOfStayDays('2026-11-20T23:00:00Z', '2026-11-23T01:00:00Z')).toBe(4);
  });
});
