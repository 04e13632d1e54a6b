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
  /** A stay's satisfaction survey as sent and answered: patient relations, who send and record it, besides the care team. */
  'read-survey': [...CARE_TEAM, 'patient-services', 'auditor', 'integration-client'],
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
 * HIPAA's minimum necessary (45 CFR 164.502(b), 164.514(d)): roles that follow a stay without
 * treating the patient see where the stay is and how its workflows run, not the clinical record.
 * Each such role has an allow-list of what it sees; a field not named (a clinical part added
 * later included) is left out by default. Every route that returns a stay or a task applies it
 * through `minimumNecessary` / `minimumNecessaryTask`; routes returning nothing but clinical
 * record refuse these roles outright (the `read-clinical` policy).
 */
export type View = { readonly [field: string]: true | View };

/** Where the stay is and who carries it: what an operator following workflows needs. */
const WHERE_THE_STAY_IS = {
  encounterId: true,
  facilityId: true,
  patientId: true,
  unit: true,
  class: true,
  admissionType: true,
  admittedAt: true,
  status: true,
  version: true,
  createdAt: true,
  updatedAt: true,
  visitNumber: true,
  location: true,
  priorLocation: true,
  attending: true,
  hospitalService: true,
  pendingDischarge: true,
  onLeave: true,
  cancelledAt: true,
  reopenedAt: true,
  planningRun: true,
  adtAsOf: true,
  careManagerId: true,
  leadCareManagerId: true,
  // Disposition and destination are registration data (PV1-36/37); who ordered the discharge is not needed.
  discharge: { disposition: true, dischargedAt: true, dischargedTo: true, dispositionCode: true, source: true },
} as const satisfies View;

/**
 * The stay as each role may see it: `'whole'`, or an allow-list. Every required field of a stay
 * is in every allow-list, so a view is still a stay to the code that renders it (FHIR).
 */
export const STAY_VIEWS: Record<Role, 'whole' | View> = {
  'care-manager': 'whole',
  nurse: 'whole',
  physician: 'whole',
  pharmacist: 'whole',
  'social-worker': 'whole',
  auditor: 'whole',
  'integration-client': 'whole',
  operator: WHERE_THE_STAY_IS,
  // Patient relations sends and answers the satisfaction survey; the answers are the patient's ratings, not clinical.
  'patient-services': {
    ...WHERE_THE_STAY_IS,
    satisfactionSurvey: { surveyId: true, sentAt: true, status: true, answeredAt: true, channel: true, answers: true },
  },
};

/** A work item as each role may see it: what a task was completed with (`data`) is clinical record. */
const TASK_WITHOUT_DATA = {
  taskId: true,
  facilityId: true,
  encounterId: true,
  type: true,
  title: true,
  ownerRole: true,
  priority: true,
  status: true,
  dueAt: true,
  createdAt: true,
  resumesWorkflow: true,
  assigneeId: true,
  completedAt: true,
  completedBy: true,
  outcome: true,
  escalatedAt: true,
  details: true,
  resume: true,
} as const satisfies View;

export const TASK_VIEWS: Record<Role, 'whole' | View> = {
  ...STAY_VIEWS,
  operator: TASK_WITHOUT_DATA,
  'patient-services': TASK_WITHOUT_DATA,
};

export const readsClinicalRecord = (roles: readonly Role[]): boolean => mayUse(roles, ACCESS_POLICIES['read-clinical']);

/** What a caller holding several roles sees: everything any of them sees. */
export function viewFor(views: Record<Role, 'whole' | View>, roles: readonly Role[]): 'whole' | View {
  const held = roles.map((role) => views[role]);
  if (held.includes('whole')) return 'whole';
  return (held as View[]).reduce<View>(unite, {});
}

function unite(a: View, b: View): View {
  const united: Record<string, true | View> = { ...a };
  for (const [field, sub] of Object.entries(b)) {
    const mine = united[field];
    united[field] = mine === true || sub === true ? true : mine ? unite(mine, sub) : sub;
  }
  return united;
}

/** The fields of `value` the view names, nested views applied to objects and to each element of arrays. */
export function project(value: unknown, view: 'whole' | View): unknown {
  if (view === 'whole') return value;
  if (Array.isArray(value)) return value.map((item) => project(item, view));
  if (value === null || typeof value !== 'object') return undefined;
  const projected: Record<string, unknown> = {};
  for (const [field, sub] of Object.entries(view)) {
    if (!(field in value)) continue;
    const part = (value as Record<string, unknown>)[field];
    const seen = sub === true ? part : project(part, sub);
    if (seen !== undefined) projected[field] = seen;
  }
  return projected;
}

/** The stay as this caller may see it (STAY_VIEWS). */
export const minimumNecessary = <T extends object>(stay: T, roles: readonly Role[]): T => project(stay, viewFor(STAY_VIEWS, roles)) as T;

/** The work item as this caller may see it (TASK_VIEWS). */
export const minimumNecessaryTask = <T extends object>(task: T, roles: readonly Role[]): T =>
  project(task, viewFor(TASK_VIEWS, roles)) as T;
