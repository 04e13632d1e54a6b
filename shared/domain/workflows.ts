import type { Encounter } from './encounter';

/**
 * Which encounters get a discharge-planning workflow. CMS 482.43 applies to every inpatient;
 * observation stays are planned too because they so often become admissions.
 */
export function needsDischargePlanning(encounter: Pick<Encounter, 'class' | 'status'>): boolean {
  return (encounter.class === 'inpatient' || encounter.class === 'observation') && encounter.status === 'admitted';
}

/**
 * Execution names are what operators search for in the console: lead with the encounter id.
 * One discharge-planning execution per encounter; the name makes StartExecution idempotent.
 */
export function dischargePlanningExecutionName(encounterId: string): string {
  return `${encounterId}-discharge-planning`;
}

/**
 * After a cancelled discharge (A13) planning resumes in a new execution, named for the moment it
 * was reopened so the same A13 never opens it twice (names: at most 80 characters).
 */
export function reopenedExecutionName(encounterId: string, reopenedAt: string): string {
  return `${encounterId}-reopened-${reopenedAt.replace(/\D/g, '').slice(0, 14)}`;
}
