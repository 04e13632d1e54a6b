import { CHARLSON_CATEGORIES, CHARLSON_SUPERSEDES, CHARLSON_WEIGHTS, QUAN_ICD10, type CharlsonCategory } from './charlson-icd10';

/**
 * Readmission risk scores (DOMAIN.md §3). Advisory: every item's points are returned so a
 * clinician sees why, and may override the tier with a reason (kept beside the computed one).
 */
export interface ScoreItem {
  item: string;
  value: number | boolean | string;
  points: number;
}

export interface Score<Tier extends string> {
  score: number;
  tier: Tier;
  items: ScoreItem[];
}

/** Charlson categories of a set of ICD-10 codes ("I50.9", "i509" alike), hierarchy applied. */
export function charlsonCategories(icd10Codes: readonly string[]): CharlsonCategory[] {
  const codes = icd10Codes.map((code) => code.toUpperCase().replace(/[^A-Z0-9]/g, ''));
  const found = CHARLSON_CATEGORIES.filter((category) =>
    QUAN_ICD10[category].some((prefix) => codes.some((code) => code.startsWith(prefix))),
  );
  return found.filter((category) => !CHARLSON_SUPERSEDES.some(([stronger, weaker]) => weaker === category && found.includes(stronger)));
}

export function charlsonScore(icd10Codes: readonly string[]): number {
  return charlsonCategories(icd10Codes).reduce((sum, category) => sum + CHARLSON_WEIGHTS[category], 0);
}

export interface LaceInput {
  /** Midnights (shared/domain/length-of-stay.ts): a same-day stay is 0, LACE's "<1 day". */
  lengthOfStayDays: number;
  emergentAdmission: boolean;
  charlson: number;
  /** ED visits in the 6 months before admission, not counting the one that led to it. */
  edVisitsPrior6Months: number;
}

export type LaceTier = 'low' | 'moderate' | 'high';

/** LACE (van Walraven, CMAJ 2010): 0–19. */
export function lace(input: LaceInput): Score<LaceTier> {
  const l = input.lengthOfStayDays;
  const lPoints = l < 1 ? 0 : l <= 3 ? l : l <= 6 ? 4 : l <= 13 ? 5 : 7;
  const c = input.charlson;
  const cPoints = c >= 4 ? 5 : Math.max(0, c);
  const items: ScoreItem[] = [
    { item: 'L: length of stay (days)', value: l, points: lPoints },
    { item: 'A: emergent admission', value: input.emergentAdmission, points: input.emergentAdmission ? 3 : 0 },
    { item: 'C: Charlson comorbidity score', value: c, points: cPoints },
    {
      item: 'E: ED visits in prior 6 months',
      value: input.edVisitsPrior6Months,
      points: Math.min(4, Math.max(0, input.edVisitsPrior6Months)),
    },
  ];
  const score = items.reduce((sum, i) => sum + i.points, 0);
  return { score, tier: score >= 10 ? 'high' : score >= 5 ? 'moderate' : 'low', items };
}

export interface HospitalInput {
  haemoglobinAtDischarge?: number;
  oncologyService: boolean;
  sodiumAtDischarge?: number;
  procedureDuringStay: boolean;
  urgentOrEmergentAdmission: boolean;
  admissionsPrior12Months: number;
  lengthOfStayDays: number;
}

export type HospitalTier = 'low' | 'intermediate' | 'high';

/** HOSPITAL score (Donzé, JAMA Intern Med 2013): 0–13. A missing lab scores 0 and says so. */
export function hospitalScore(input: HospitalInput): Score<HospitalTier> {
  const admissions = input.admissionsPrior12Months;
  const items: ScoreItem[] = [
    {
      item: 'H: haemoglobin < 12 g/dL at discharge',
      value: input.haemoglobinAtDischarge ?? 'not measured',
      points: (input.haemoglobinAtDischarge ?? 99) < 12 ? 1 : 0,
    },
    { item: 'O: discharge from an oncology service', value: input.oncologyService, points: input.oncologyService ? 2 : 0 },
    {
      item: 'S: sodium < 135 mmol/L at discharge',
      value: input.sodiumAtDischarge ?? 'not measured',
      points: (input.sodiumAtDischarge ?? 999) < 135 ? 1 : 0,
    },
    { item: 'P: procedure during the stay', value: input.procedureDuringStay, points: input.procedureDuringStay ? 1 : 0 },
    {
      item: 'IT: urgent or emergent index admission',
      value: input.urgentOrEmergentAdmission,
      points: input.urgentOrEmergentAdmission ? 1 : 0,
    },
    { item: 'A: admissions in the prior 12 months', value: admissions, points: admissions > 5 ? 5 : admissions >= 2 ? 2 : 0 },
    { item: 'L: length of stay ≥ 5 days', value: input.lengthOfStayDays, points: input.lengthOfStayDays >= 5 ? 2 : 0 },
  ];
  const score = items.reduce((sum, i) => sum + i.points, 0);
  return { score, tier: score >= 7 ? 'high' : score >= 5 ? 'intermediate' : 'low', items };
}
