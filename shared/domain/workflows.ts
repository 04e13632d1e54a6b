import type { Encounter } from './encounter';

/**
 * Which encounters get a discharge-planning workflow. CMS 482.43 applies to every inpatient;
 * observation stays are planned too because they so often become admissions.
 */
export function needsDischargePlanning(encounter: Pick<Encounter, 'class' | 'status'>): boolean {
  return (encounter.class === 'inpatient' || encounter.class === 'observation') && encounter.status === 'admitted';
}

/**
 * Execution names are what operators search for in the console: `<workflow>-<encounter>-<n>`,
 * where n counts the encounter's planning runs (1, then +1 at each A13 reopen or reinstatement;
 * the encounter's `planningRun`). The name makes StartExecution idempotent: a stream retry of
 * the same change starts nothing twice. At most 80 characters.
 */
export function dischargePlanningExecutionName(encounterId: string, run = 1): string {
  return `discharge-planning-${encounterId}-${run}`;
}

/** The TCM follow-up a discharge starts: numbered like the planning run that recorded the discharge. */
export function followUpExecutionName(encounterId: string, run = 1): string {
  return `post-discharge-follow-up-${encounterId}-${run}`;
}

/** A transfer to another facility: n counts the stay's transfer requests. */
export function transferExecutionName(encounterId: string, n: number): string {
  return `transfer-${encounterId}-${n}`;
}

/**
 * A grievance about a stay: the suffix is the grievance id's first block (not a count: two
 * grievances filed at the same moment must not share a name).
 */
export function grievanceExecutionName(encounterId: string, grievanceId: string): string {
  return `grievance-${encounterId}-${grievanceId.slice(0, 8)}`;
}

/** The ARN an execution gets, known before Step Functions has answered (to stop it early). */
export function executionArnOf(stateMachineArn: string, executionName: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${executionName}`;
}
