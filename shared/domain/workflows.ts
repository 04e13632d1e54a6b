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
export function reopenedExecutionName(encounterId: string, reopenedAt: string, reason: 'reopened' | 'reinstated' = 'reopened'): string {
  return `${encounterId}-${reason}-${reopenedAt.replace(/\D/g, '').slice(0, 14)}`;
}

/** The ARN an execution gets, known before Step Functions has answered (to stop it early). */
export function executionArnOf(stateMachineArn: string, executionName: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionName}`;
}
