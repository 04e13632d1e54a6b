import type { CareRole } from './tasks';

/**
 * Who may call what. A caller holds one facility and one or more roles; each route of the API
 * names one access policy (infra/routes/*.ts), and its function refuses (403) a caller holding
 * none of the policy's roles. Another facility's records answer 404 (shared/http/caller.ts).
 */
export const ROLES = [
  'care-manager',
  'nurse',
  'physician',
  'pharmacist',
  'social-worker',
  'patient-services',
  'auditor',
  'operator',
  /** A hospital system (EHR, interface engine) acting for its facility's staff. */
  'integration-client',
] as const;
export type Role = (typeof ROLES)[number];

const CARE_TEAM = ['care-manager', 'nurse', 'physician', 'pharmacist', 'social-worker'] as const satisfies readonly Role[];

/** Named policies, so a route table line says what kind of access it is, not a list to audit. */
export const ACCESS_POLICIES = {
  /** HL7 v2 ADT from the hospital's interface engine. */
  'adt-feed': ['integration-client'],
  /** Registering and admitting patients, and their demographics. */
  registration: ['care-manager', 'nurse', 'patient-services', 'integration-client'],
  /** Finding a patient and the stay, as everyone who serves the patient must. */
  'read-patient': [...CARE_TEAM, 'patient-services', 'auditor', 'integration-client'],
  /** The stay itself and its workflow status (operators follow workflows through it). */
  'read-encounter': [...CARE_TEAM, 'patient-services', 'auditor', 'operator', 'integration-client'],
  /** The clinical record: plans, assessments, medications, observations, transition record. */
  'read-clinical': [...CARE_TEAM, 'auditor', 'integration-client'],
  /** Work lists: everyone with tasks. */
  tasks: [...CARE_TEAM, 'patient-services', 'operator', 'integration-client'],
  /** Bedside documentation any member of the care team writes (education, observations, messages). */
  'care-team-notes': [...CARE_TEAM, 'integration-client'],
  /** The care plan. */
  'care-plan': ['care-manager', 'nurse', 'physician', 'social-worker', 'integration-client'],
  /** Coordination: assessment of needs, goals, the care team, choice, referrals, services, transfers, follow-up. */
  coordination: ['care-manager', 'social-worker', 'integration-client'],
  /** Readmission risk inputs and the tier override. */
  risk: ['care-manager', 'nurse', 'physician', 'integration-client'],
  /** What only a physician decides: orders, goals of care. */
  physician: ['physician', 'integration-client'],
  /** Medication reconciliation and interaction acknowledgements. */
  medications: ['physician', 'pharmacist', 'nurse', 'integration-client'],
  /** Appointments and clinic slots. */
  scheduling: ['patient-services', 'care-manager', 'nurse', 'integration-client'],
  /** Grievances and satisfaction surveys (42 CFR 482.13). */
  'patient-relations': ['patient-services', 'care-manager', 'integration-client'],
  /** Complaints may be taken by anyone serving the patient. */
  'file-grievance': [...CARE_TEAM, 'patient-services', 'integration-client'],
  /** Reports: caseloads, satisfaction, service metrics. */
  reports: ['care-manager', 'auditor', 'operator', 'patient-services', 'integration-client'],
  /** The patient's audit trail (HIPAA accounting of disclosures): the privacy office. */
  audit: ['auditor'],
  /** Reference data with no patient in it. */
  reference: [...ROLES],
} as const satisfies Record<string, readonly Role[]>;
export type AccessPolicy = keyof typeof ACCESS_POLICIES;

export const rolesOf = (policy: AccessPolicy): readonly Role[] => ACCESS_POLICIES[policy];

/**
 * Who did something, as the verified token says (client, and person for people's tokens, and the
 * token's roles). `name` is a display name the client typed: shown, never trusted, grants nothing.
 */
export interface Recorder {
  who: string;
  roles: Role[];
  name?: string;
}

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

/** Whether a caller holding `held` may use a route allowing `allowed`. */
export const mayUse = (held: readonly Role[], allowed: readonly Role[]): boolean => held.some((role) => allowed.includes(role));

/**
 * Who may complete a task, by the role that owns it: that role and those that stand in for it
 * (case management is shared by care managers and social workers; a physician may acknowledge an
 * interaction in the pharmacist's place), or a hospital system relaying what a person did in the
 * EHR. Without this, anyone with a work list could sign a physician's discharge order.
 */
const COMPLETED_BY: Record<CareRole, readonly Role[]> = {
  'care-manager': ['care-manager', 'social-worker'],
  'social-worker': ['social-worker', 'care-manager'],
  physician: ['physician'],
  pharmacist: ['pharmacist', 'physician'],
  nurse: ['nurse'],
  operator: ['operator'],
  'patient-relations': ['patient-services', 'care-manager'],
};

export function mayComplete(roles: readonly Role[], ownerRole: CareRole): boolean {
  return roles.includes('integration-client') || roles.some((role) => COMPLETED_BY[ownerRole].includes(role));
}

export const rolesCompleting = (ownerRole: CareRole): readonly Role[] => COMPLETED_BY[ownerRole];

/**
 * HIPAA's minimum necessary: roles that follow a stay without treating the patient (operators,
 * patient services) see where the stay is and how its workflows run, not the clinical record.
 * These parts of the stay are the clinical record; GET /v1/encounters/{id} leaves them out, and
 * the work list leaves out what tasks were completed with, for a caller who may not read it.
 */
export const CLINICAL_PARTS_OF_A_STAY = [
  'screening',
  'assessment',
  'dischargePlan',
  'riskInputs',
  'riskOverride',
  'goalsAndPreferences',
  'goalsOfCare',
  'needsAssessment',
  'medicationReconciliation',
  'serviceArrangements',
  'choiceList',
  'patientChoice',
  'dischargeReadiness',
  'readmission',
  'followUp',
] as const;

export const readsClinicalRecord = (roles: readonly Role[]): boolean => mayUse(roles, ACCESS_POLICIES['read-clinical']);

/** The stay as this caller may see it (see CLINICAL_PARTS_OF_A_STAY). */
export function minimumNecessary<T extends object>(stay: T, roles: readonly Role[]): T {
  if (readsClinicalRecord(roles)) return stay;
  const view = { ...stay } as Record<string, unknown>;
  for (const part of CLINICAL_PARTS_OF_A_STAY) delete view[part];
  return view as unknown as T;
}
