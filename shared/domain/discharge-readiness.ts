import type { DischargeDisposition, DischargePath } from './discharge-plan';
import type { Encounter } from './encounter';
import type { ChoiceList } from './patient-choice';
import { unconfirmedMedications } from './medications/reconciliation';
import { unarrangedServices } from './service-arrangements';

/**
 * What must be on the record before a patient is discharged (42 CFR 482.43, DOMAIN.md §1). The
 * discharge step cannot complete while one is missing: the list goes on the encounter and into
 * a task for the care manager (or, for an unacknowledged interaction, the pharmacist).
 */
export const REQUIRED_ELEMENTS = {
  evaluation: 'Discharge-planning evaluation (needs assessment) on record',
  goalsAndPreferences: "The patient's goals and treatment preferences on record",
  patientChoice: 'Patient choice list given and the choice recorded (post-acute care)',
  servicesArranged: 'Every service of the plan (equipment, meals, transport …) arranged or declined by the patient',
  medicationReconciliation: 'Medication reconciliation done',
  interactionReview: 'High-severity drug interactions acknowledged by a pharmacist or physician',
  medicationConfirmation: 'Medications the drug vocabulary does not recognise confirmed by a pharmacist',
  education: 'Education given and understood at teach-back',
  followUpVisit: 'Follow-up visit booked within 7 days (high readmission risk) or 14 days of discharge',
} as const;
export type RequiredElement = keyof typeof REQUIRED_ELEMENTS;

/** Paths where the patient must be offered a choice of Medicare-participating providers. */
export const CHOICE_PATHS: readonly DischargePath[] = [
  'home-health',
  'skilled-nursing',
  'inpatient-rehab',
  'long-term-care-hospital',
  'hospice',
];
export const needsPatientChoice = (path: DischargeDisposition | undefined) => !!path && (CHOICE_PATHS as readonly string[]).includes(path);

/**
 * Whether planning must go back to give a choice list (482.43(c)): the path the patient leaves by
 * needs one, and the list on record (if any) was for another path. A list is never reused across
 * provider types: a home health agency chosen is no choice of nursing facility.
 */
export const choiceListNeeded = (path: DischargeDisposition | undefined, choiceList: Pick<ChoiceList, 'path'> | undefined) =>
  needsPatientChoice(path) && choiceList?.path !== path;

export interface DischargeReadiness {
  ready: boolean;
  missing: Array<{ element: RequiredElement; description: string }>;
  checkedAt: string;
}

/** Paths home, where the hospital books the follow-up visit (a facility's own physician sees the others). */
export const FOLLOW_UP_VISIT_PATHS: readonly DischargePath[] = ['home', 'home-with-services', 'home-health'];

/**
 * The elements missing for this encounter, given its education items (how many, how many open)
 * and whether a follow-up visit is booked in time (see shared/domain/scheduling.ts).
 */
export function dischargeReadiness(
  encounter: Pick<
    Encounter,
    'assessment' | 'goalsAndPreferences' | 'dischargePlan' | 'medicationReconciliation' | 'serviceArrangements' | 'choiceList'
  > & { patientChoice?: unknown },
  records: { education: { total: number; open: number }; followUpVisitBooked: boolean; orderedDisposition?: DischargeDisposition },
  now: Date,
): DischargeReadiness {
  const { education } = records;
  // What the patient leaves by decides what is required: the physician's order, else the plan.
  const path = records.orderedDisposition ?? encounter.dischargePlan?.path;
  const missing: RequiredElement[] = [];
  if (!encounter.assessment) missing.push('evaluation');
  if (!encounter.goalsAndPreferences) missing.push('goalsAndPreferences');
  if (needsPatientChoice(path) && (!encounter.patientChoice || choiceListNeeded(path, encounter.choiceList))) missing.push('patientChoice');
  if (unarrangedServices(encounter.dischargePlan?.services, encounter.serviceArrangements).length > 0) missing.push('servicesArranged');
  if (!encounter.medicationReconciliation) missing.push('medicationReconciliation');
  else {
    if (encounter.medicationReconciliation.status === 'blocked') missing.push('interactionReview');
    // An unrecognised drug went through no check at all: incomplete, never silently passed.
    if (unconfirmedMedications(encounter.medicationReconciliation).length > 0) missing.push('medicationConfirmation');
  }
  if (education.total === 0 || education.open > 0) missing.push('education');
  if ((FOLLOW_UP_VISIT_PATHS as readonly string[]).includes(path ?? 'home') && !records.followUpVisitBooked) missing.push('followUpVisit');
  return {
    ready: missing.length === 0,
    missing: missing.map((element) => ({ element, description: REQUIRED_ELEMENTS[element] })),
    checkedAt: now.toISOString(),
  };
}

const PHARMACIST_ELEMENTS: readonly RequiredElement[] = ['interactionReview', 'medicationConfirmation'];

/** Who can supply what is missing: the pharmacist when only the pharmacist's review is, else the care manager. */
export const awaitedRole = (readiness: DischargeReadiness): 'pharmacist' | 'care-manager' =>
  readiness.missing.length > 0 && readiness.missing.every((m) => PHARMACIST_ELEMENTS.includes(m.element)) ? 'pharmacist' : 'care-manager';
