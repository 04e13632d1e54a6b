import { ageOn, type AdmissionType } from './encounter';

/**
 * Early identification at admission (42 CFR 482.43(a)): find the patients likely to suffer
 * adverse consequences without a discharge plan, so their evaluation starts first.
 * Every inpatient still gets an assessment; screening sets its priority and deadline.
 */
export interface ScreeningInput {
  /** Unknown (an ADT feed without PID-7) screens in: better an early look than none. */
  birthDate?: string;
  admittedAt: string;
  admissionType: AdmissionType;
  /** An unplanned readmission within 30 days screens in: the last plan did not hold. */
  unplannedReadmission?: boolean;
}

export interface ScreeningResult {
  screenedIn: boolean;
  reasons: string[];
  priority: 'urgent' | 'routine';
  /** Hours the care manager has to complete the needs assessment. */
  assessmentDueWithinHours: number;
  screenedAt: string;
}

export const SCREENING_RULES = {
  olderAdultAge: 65,
  urgentAssessmentHours: 24,
  routineAssessmentHours: 48,
} as const;

export function screenAtAdmission(input: ScreeningInput, now: Date): ScreeningResult {
  const reasons: string[] = [];
  if (!input.birthDate) reasons.push('age unknown');
  else if (ageOn(input.birthDate, input.admittedAt) >= SCREENING_RULES.olderAdultAge) {
    reasons.push(`age ${SCREENING_RULES.olderAdultAge} or older`);
  }
  if (input.admissionType === 'emergency' || input.admissionType === 'urgent' || input.admissionType === 'trauma') {
    reasons.push(`${input.admissionType} admission`);
  }
  if (input.unplannedReadmission) reasons.push('readmitted within 30 days of a discharge');
  const screenedIn = reasons.length > 0;
  return {
    screenedIn,
    reasons,
    priority: screenedIn ? 'urgent' : 'routine',
    assessmentDueWithinHours: screenedIn ? SCREENING_RULES.urgentAssessmentHours : SCREENING_RULES.routineAssessmentHours,
    screenedAt: now.toISOString(),
  };
}
