import type { Encounter } from '../encounter';
import { charlsonCategories, charlsonScore, hospitalScore, lace, lengthOfStayDays, type Score } from './readmission-risk';
import type { CharlsonCategory } from './charlson-icd10';

/** What the scores need beyond the encounter itself; recorded by the care team or an EHR feed. */
export interface RiskInputs {
  /** ICD-10 codes of the patient's conditions (Charlson comorbidities come from these). */
  conditions: string[];
  edVisitsPrior6Months: number;
  admissionsPrior12Months: number;
  haemoglobinAtDischarge?: number;
  sodiumAtDischarge?: number;
  oncologyService: boolean;
  procedureDuringStay: boolean;
}

export const RISK_TIERS = ['low', 'moderate', 'high'] as const;
export type RiskTier = (typeof RISK_TIERS)[number];

/** A clinician's tier, kept beside the computed one, never replacing it. */
export interface RiskOverride {
  tier: RiskTier;
  reason: string;
  clinician: string;
  at: string;
}

export interface ReadmissionRisk {
  asOf: string;
  lengthOfStayDays: number;
  /** Until discharge the stay is counted to now, so scores grow with the stay. */
  provisional: boolean;
  charlson: { score: number; categories: CharlsonCategory[] };
  lace: Score<'low' | 'moderate' | 'high'>;
  hospital: Score<'low' | 'intermediate' | 'high'>;
  /** LACE's tier unless a clinician overrode it. */
  tier: RiskTier;
  override?: RiskOverride;
}

const EMERGENT = new Set(['emergency', 'urgent', 'trauma']);

/** Computes both scores from the encounter and its inputs; advisory, with every item shown. */
export function assessReadmissionRisk(
  encounter: Pick<Encounter, 'admittedAt' | 'admissionType' | 'discharge'>,
  inputs: RiskInputs,
  now: Date,
  override?: RiskOverride,
): ReadmissionRisk {
  const end = encounter.discharge?.dischargedAt ?? now.toISOString();
  const los = lengthOfStayDays(encounter.admittedAt, end);
  const emergent = EMERGENT.has(encounter.admissionType);
  const charlson = charlsonScore(inputs.conditions);
  const laceScore = lace({ lengthOfStayDays: los, emergentAdmission: emergent, charlson, edVisitsPrior6Months: inputs.edVisitsPrior6Months });
  const result: ReadmissionRisk = {
    asOf: now.toISOString(),
    lengthOfStayDays: los,
    provisional: !encounter.discharge,
    charlson: { score: charlson, categories: charlsonCategories(inputs.conditions) },
    lace: laceScore,
    hospital: hospitalScore({
      ...(inputs.haemoglobinAtDischarge !== undefined ? { haemoglobinAtDischarge: inputs.haemoglobinAtDischarge } : {}),
      ...(inputs.sodiumAtDischarge !== undefined ? { sodiumAtDischarge: inputs.sodiumAtDischarge } : {}),
      oncologyService: inputs.oncologyService,
      procedureDuringStay: inputs.procedureDuringStay,
      urgentOrEmergentAdmission: emergent,
      admissionsPrior12Months: inputs.admissionsPrior12Months,
      lengthOfStayDays: los,
    }),
    tier: override?.tier ?? laceScore.tier,
  };
  return override ? { ...result, override } : result;
}

/** The tier the care team sees (a clinician's override, else LACE's), judged at one instant. */
export function currentRiskTier(
  encounter: Pick<Encounter, 'admittedAt' | 'admissionType' | 'discharge' | 'riskInputs' | 'riskOverride'>,
  at: Date,
): RiskTier | undefined {
  if (encounter.riskOverride) return encounter.riskOverride.tier;
  return encounter.riskInputs ? assessReadmissionRisk(encounter, encounter.riskInputs, at).tier : undefined;
}
