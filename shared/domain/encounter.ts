import type { Recorder } from './access';
import type { DeathRecord } from './death';
import type { DischargeDisposition, DischargePath } from './discharge-plan';
import type { GoalsAndPreferences, GoalsOfCare } from './goals';
import type { MedicationReconciliation } from './medications/reconciliation';
import type { NeedsAssessment } from './needs-assessment';
import type { ChoiceList, PatientChoice } from './patient-choice';
import type { DischargeReadiness } from './discharge-readiness';
import type { FollowUp } from './follow-up';
import type { SatisfactionSurvey } from './satisfaction';
import type { RiskInputs, RiskOverride } from './risk/encounter-risk';
import type { ScreeningResult } from './screening';
import type { Readmission } from './readmission';
import type { ServiceArrangement } from './service-arrangements';

export const ENCOUNTER_CLASSES = ['inpatient', 'observation', 'emergency', 'outpatient', 'preadmission'] as const;
export type EncounterClass = (typeof ENCOUNTER_CLASSES)[number];

export const ADMISSION_TYPES = ['emergency', 'urgent', 'elective', 'newborn', 'trauma'] as const;
export type AdmissionType = (typeof ADMISSION_TYPES)[number];

/**
 * Where an encounter is in its discharge journey. The workflow moves it forward; each value
 * names what the care team is waiting for next.
 */
export const ENCOUNTER_STATUSES = ['admitted', 'assessment-pending', 'awaiting-discharge-order', 'discharged', 'cancelled'] as const;
export type EncounterStatus = (typeof ENCOUNTER_STATUSES)[number];

export interface Identifier {
  system: string;
  value: string;
  /** HL7 identifier type (table 0203), e.g. MR, PI, SS, when the sender gave one. */
  type?: string;
}

export interface HumanName {
  family: string;
  given: string[];
}

export interface Patient {
  patientId: string;
  facilityId: string;
  identifiers: Identifier[];
  /** An ADT feed may register a patient before it sends name or birth date. */
  name?: HumanName;
  birthDate?: string;
  sex?: 'female' | 'male' | 'other' | 'unknown';
  /** Known to have died (PID-29/30, an expired discharge, or the discharge order); `deceasedAt` when the time is known. */
  deceased?: boolean;
  deceasedAt?: string;
  death?: DeathRecord;
  /** Outbox mark: `pending` until the death's effects (shared/domain/death.ts) are done. */
  deathEffects?: 'pending' | 'done';
  /** Event time of the newest demographics applied; an older message does not overwrite them. */
  demographicsAsOf?: string;
  /** A40: merged into another record, which now owns its identifiers and encounters (this one keeps its old list for history). */
  mergedInto?: string;
  version?: number;
  createdAt?: string;
  updatedAt?: string;
}

export interface AssessmentSummary {
  needs: string[];
  notes?: string;
  recordedAt: string;
  recordedBy?: string;
}

export interface DischargePlan {
  path: DischargePath;
  services: string[];
  decidedAt: string;
  /** Set when the physician ordered another path than planned (shared/domain/discharge-plan.ts planRevisionFor). */
  revisedFrom?: DischargePath;
  revisedAt?: string;
  revisedForOrder?: string;
}

export interface DischargeRecord {
  disposition: DischargeDisposition;
  dischargedAt: string;
  /** The ordering physician's name as the order's data gave it: display only. */
  orderedBy?: string;
  /** Who signed the discharge order, as the token completing the task says (a physician, or an EHR relaying one). */
  signedBy?: Recorder;
  /** Where an ADT A03 says the patient went (PV1-37), and the raw PV1-36 code. */
  dischargedTo?: string;
  dispositionCode?: string;
  source?: 'workflow' | 'adt';
}

export interface Encounter {
  encounterId: string;
  facilityId: string;
  patientId: string;
  unit: string;
  class: EncounterClass;
  admissionType: AdmissionType;
  admittedAt: string;
  status: EncounterStatus;
  /** Optimistic-lock counter of the encounter record itself: every update must name the version it read. */
  version: number;
  /**
   * The version of each separately stored part of the stay (shared/domain/stay-parts.ts), by part
   * name, as the read found them: a part's edit names its own version, never the encounter's.
   */
  partVersions?: Partial<Record<string, number>>;
  createdAt: string;
  updatedAt: string;
  executionArn?: string;
  screening?: ScreeningResult;
  assessment?: AssessmentSummary;
  dischargePlan?: DischargePlan;
  discharge?: DischargeRecord;
  /** Post-discharge follow-up (TCM): deadlines, documented contacts and visit, outcomes. */
  followUp?: FollowUp;
  /** The post-discharge satisfaction survey, once the follow-up sent it. */
  satisfactionSurvey?: SatisfactionSurvey;
  /** From the ADT feed (PV1): the hospital's visit number and where the patient is. */
  visitNumber?: string;
  location?: PatientLocation;
  priorLocation?: PatientLocation;
  attending?: { id: string; family?: string; given?: string };
  hospitalService?: string;
  pendingDischarge?: { expectedAt: string };
  onLeave?: boolean;
  cancelledAt?: string;
  /** Set when a cancelled discharge (A13) reopened planning. */
  reopenedAt?: string;
  /** Set at screening when this stay began within 30 days of a discharge of the same patient. */
  readmission?: Readmission;
  /** Which discharge-planning execution is current: 1 at first, +1 at each reopen or reinstatement (it numbers the execution name). */
  planningRun?: number;
  /** Event time of the newest ADT message applied to each aspect: older ones do not overwrite. */
  adtAsOf?: Partial<Record<AdtAspect, string>>;
  riskInputs?: RiskInputs;
  riskOverride?: RiskOverride;
  goalsAndPreferences?: GoalsAndPreferences;
  goalsOfCare?: GoalsOfCare;
  needsAssessment?: NeedsAssessment;
  medicationReconciliation?: MedicationReconciliation;
  /** What was arranged for each service of the plan (or declined by the patient). */
  serviceArrangements?: ServiceArrangement[];
  /** The providers offered for the post-acute path, and what the patient chose. */
  choiceList?: ChoiceList;
  patientChoice?: PatientChoice;
  /** The last check of what discharge still needs (the workflow writes it before recording a discharge). */
  dischargeReadiness?: DischargeReadiness;
  /** The care manager carrying this stay in their caseload (assigned at admission by unit and load). */
  careManagerId?: string;
  /** The last reassignment: `by` the name the body gave (display only), `recorder` the token that moved it. */
  careManagerAssignment?: { reason: string; by: string; recorder: Recorder; at: string };
  /** The care-team member (a care manager) who leads this stay's care. */
  leadCareManagerId?: string;
  /** The token that made them lead (the body names no one). */
  leadCareManagerSetBy?: Recorder;
}

export interface PatientLocation {
  pointOfCare: string;
  room?: string;
  bed?: string;
  facility?: string;
}

/** The parts of an encounter an ADT message can change, each ordered by its own event time. */
export type AdtAspect = 'admission' | 'class' | 'location' | 'details' | 'pendingDischarge' | 'discharge' | 'leave';

/** Whole years between two ISO dates, as clinicians count age. */
export function ageOn(birthDate: string, onDate: string): number {
  const birth = new Date(`${birthDate.slice(0, 10)}T00:00:00Z`);
  const on = new Date(onDate);
  let age = on.getUTCFullYear() - birth.getUTCFullYear();
  const beforeBirthday =
    on.getUTCMonth() < birth.getUTCMonth() || (on.getUTCMonth() === birth.getUTCMonth() && on.getUTCDate() < birth.getUTCDate());
  if (beforeBirthday) age -= 1;
  return age;
}
