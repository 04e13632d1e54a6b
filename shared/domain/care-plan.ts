import type { Recorder } from './access';
import type { Threshold } from './monitoring';

/**
 * The care plan of a stay: problems → goals → interventions (FHIR CarePlan / Goal /
 * CarePlan.activity). Every change is a new, immutable version; an edit names the version it
 * was based on, so two people never silently overwrite each other.
 */
export const CARE_PLAN_STATUSES = ['draft', 'active', 'on-hold', 'completed', 'revoked'] as const;
export const GOAL_STATUSES = ['proposed', 'planned', 'accepted', 'active', 'on-hold', 'completed', 'cancelled', 'rejected'] as const;
export const INTERVENTION_STATUSES = ['not-started', 'scheduled', 'in-progress', 'on-hold', 'completed', 'cancelled', 'stopped'] as const;
export const INTERVENTION_OWNERS = [
  'care-manager',
  'nurse',
  'physician',
  'pharmacist',
  'social-worker',
  'therapist',
  'dietitian',
  'patient',
  'caregiver',
] as const;

export interface PlanGoal {
  description: string;
  target?: string;
  dueDate?: string;
  status: (typeof GOAL_STATUSES)[number];
}

export interface PlanIntervention {
  description: string;
  ownerRole: (typeof INTERVENTION_OWNERS)[number];
  dueDate?: string;
  status: (typeof INTERVENTION_STATUSES)[number];
}

export interface PlanProblem {
  description: string;
  /** ICD-10 or SNOMED CT code, when known. */
  code?: string;
  goals: PlanGoal[];
  interventions: PlanIntervention[];
}

export interface CarePlanContent {
  status: (typeof CARE_PLAN_STATUSES)[number];
  problems: PlanProblem[];
  /** Monitoring limits: an observation outside them raises an alert (see monitoring.ts). */
  thresholds?: Threshold[];
}

export interface CarePlanVersion extends CarePlanContent {
  encounterId: string;
  version: number;
  /** Display only (the body's name). Who wrote this version is `by`, from the token. */
  author: string;
  by?: Recorder;
  changedAt: string;
}

/** The next version of a plan; the first one is version 1. */
export function nextVersion(
  current: CarePlanVersion | undefined,
  content: CarePlanContent,
  author: string,
  now: Date,
  encounterId: string,
): CarePlanVersion {
  return { encounterId, ...content, version: (current?.version ?? 0) + 1, author, changedAt: now.toISOString() };
}

/** Templates for common problems, as data (a site adds its own). Due dates are set when applied. */
export const CARE_PLAN_TEMPLATES: Record<string, PlanProblem> = {
  'heart-failure': {
    description: 'Heart failure',
    code: 'I50.9',
    goals: [
      { description: 'Knows daily weight limits and when to call', target: 'Teach-back understood', status: 'proposed' },
      { description: 'No readmission for heart failure within 30 days', status: 'proposed' },
    ],
    interventions: [
      { description: 'Teach daily weights, low-salt diet and warning signs', ownerRole: 'nurse', status: 'not-started' },
      { description: 'Reconcile diuretics and heart-failure medicines', ownerRole: 'pharmacist', status: 'not-started' },
      { description: 'Book cardiology or primary care visit within 7 days', ownerRole: 'care-manager', status: 'not-started' },
    ],
  },
  copd: {
    description: 'Chronic obstructive pulmonary disease',
    code: 'J44.9',
    goals: [
      { description: 'Uses inhalers correctly', target: 'Technique demonstrated back', status: 'proposed' },
      { description: 'Has an exacerbation action plan', status: 'proposed' },
    ],
    interventions: [
      { description: 'Inhaler technique teaching', ownerRole: 'nurse', status: 'not-started' },
      { description: 'Arrange home oxygen if prescribed', ownerRole: 'care-manager', status: 'not-started' },
      { description: 'Refer to pulmonary rehabilitation', ownerRole: 'care-manager', status: 'not-started' },
    ],
  },
  diabetes: {
    description: 'Diabetes mellitus',
    code: 'E11.9',
    goals: [
      { description: 'Safe glucose self-monitoring at home', status: 'proposed' },
      { description: 'Recognises and treats hypoglycaemia', status: 'proposed' },
    ],
    interventions: [
      { description: 'Insulin or medication teaching with teach-back', ownerRole: 'nurse', status: 'not-started' },
      { description: 'Dietitian review', ownerRole: 'dietitian', status: 'not-started' },
      { description: 'Supplies (meter, strips, needles) arranged', ownerRole: 'care-manager', status: 'not-started' },
    ],
  },
  'hip-knee-replacement': {
    description: 'After hip or knee replacement',
    code: 'Z96.6',
    goals: [
      { description: 'Walks safely with aid at home', status: 'proposed' },
      { description: 'Pain controlled on oral medicines', target: 'Pain ≤ 4/10', status: 'proposed' },
    ],
    interventions: [
      { description: 'Physiotherapy plan and home exercises', ownerRole: 'therapist', status: 'not-started' },
      { description: 'Walker or crutches and raised toilet seat', ownerRole: 'care-manager', status: 'not-started' },
      { description: 'Anticoagulation teaching', ownerRole: 'pharmacist', status: 'not-started' },
    ],
  },
};
