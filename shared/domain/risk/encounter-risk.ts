import type { Recorder } from '../access';
import type { Encounter } from '../encounter';
import { lengthOfStayDays } from '../length-of-stay';
import { charlsonCategories, charlsonScore, hospitalScore, lace, type Score } from './readmission-risk';
import type { CharlsonCategory } from './charlson-icd10';
import type { DerivedCount, PriorUtilization } from './prior-utilization';

/** What the scores need beyond the encounter itself; recorded by the care team or an EHR feed. */
export interface RiskInputs {
  /** ICD-10 codes of the patient's conditions (Charlson comorbidities come from these). */
  conditions: string[];
  /** A clinician's count, when given: it overrides the one derived from the stays Carepath holds. */
  edVisitsPrior6Months?: number;
  admissionsPrior12Months?: number;
  /** Counted from the patient's stays when the inputs were recorded. */
  derived?: PriorUtilization;
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
  /** Who overrode it, as the token says (absent on overrides recorded before issue 16 item 5). */
  by?: Recorder;
  /** The clinician's name as the body gave it: display only, grants nothing. */
  clinician?: string;
  at: string;
}

/** A prior-use count as scored: the clinician's (manual) when given, else Carepath's (derived); both shown. */
export interface PriorUseInput {
  used: number;
  source: 'manual' | 'derived';
  manual?: number;
  derived?: DerivedCount;
}

export interface ReadmissionRisk {
  asOf: string;
  /** Midnights, facility-local dates (shared/domain/length-of-stay.ts); 0 for a same-day stay. */
  lengthOfStayDays: number;
  priorUse: { edVisitsPrior6Months: PriorUseInput; admissionsPrior12Months: PriorUseInput };
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

function priorUse(manual: number | undefined, derived: DerivedCount | undefined): PriorUseInput {
  const shown = { ...(manual !== undefined ? { manual } : {}), ...(derived ? { derived } : {}) };
  return manual !== undefined ? { used: manual, source: 'manual', ...shown } : { used: derived?.count ?? 0, source: 'derived', ...shown };
}

/** Computes both scores from the encounter and its inputs; advisory, with every item shown. Days are the facility's (`timeZone`). */
export function assessReadmissionRisk(
  encounter: Pick<Encounter, 'admittedAt' | 'admissionType' | 'discharge'>,
  inputs: RiskInputs,
  now: Date,
  timeZone: string,
  override?: RiskOverride,
): ReadmissionRisk {
  const end = encounter.discharge?.dischargedAt ?? now.toISOString();
  const los = lengthOfStayDays(encounter.admittedAt, end, timeZone);
  const ed = priorUse(inputs.edVisitsPrior6Months, inputs.derived?.edVisitsPrior6Months);
  const admissions = priorUse(inputs.admissionsPrior12Months, inputs.derived?.admissionsPrior12Months);
  const emergent = EMERGENT.has(encounter.admissionType);
  const charlson = charlsonScore(inputs.conditions);
  const laceScore = lace({ lengthOfStayDays: los, emergentAdmission: emergent, charlson, edVisitsPrior6Months: ed.used });
  const result: ReadmissionRisk = {
    asOf: now.toISOString(),
    lengthOfStayDays: los,
    priorUse: { edVisitsPrior6Months: ed, admissionsPrior12Months: admissions },
    provisional: !encounter.discharge,
    charlson: { score: charlson, categories: charlsonCategories(inputs.conditions) },
    lace: laceScore,
    hospital: hospitalScore({
      ...(inputs.haemoglobinAtDischarge !== undefined ? { haemoglobinAtDischarge: inputs.haemoglobinAtDischarge } : {}),
      ...(inputs.sodiumAtDischarge !== undefined ? { sodiumAtDischarge: inputs.sodiumAtDischarge } : {}),
      oncologyService: inputs.oncologyService,
      procedureDuringStay: inputs.procedureDuringStay,
      urgentOrEmergentAdmission: emergent,
      admissionsPrior12Months: admissions.used,
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
  timeZone: string,
): RiskTier | undefined {
  if (encounter.riskOverride) return encounter.riskOverride.tier;
  return encounter.riskInputs ? assessReadmissionRisk(encounter, encounter.riskInputs, at, timeZone).tier : undefined;
}
