import type { SFNClient } from '@aws-sdk/client-sfn';
import { grievanceProgress, type Grievance } from '../../domain/grievances';
import type { Stores } from '../../store';
import { keys } from '../../store/keys';
import { deliverToWaitingExecution } from './resume-workflow';
import { startExecutionOnce } from './start-execution-once';

/** A filed grievance starts its execution (named after it, so a stream retry starts nothing twice). */
export async function startGrievance(
  grievance: Grievance,
  deps: { sfn: SFNClient; stateMachineArn: string; now?: () => Date },
): Promise<void> {
  await startExecutionOnce(deps, grievance.executionName, { encounterId: grievance.encounterId, grievanceId: grievance.grievanceId });
}

/** An acknowledgement or decision recorded through the API (`resume: pending`) goes to the waiting state. */
export async function resumeGrievance(
  grievance: Grievance,
  taskToken: string | undefined,
  deps: { sfn: SFNClient; grievances: Stores['grievances']; now: () => Date },
): Promise<void> {
  if (grievance.resume !== 'pending' || !taskToken) return;
  const outcome = await deliverToWaitingExecution(deps.sfn, taskToken, grievanceProgress(grievance, deps.now()), {
    grievanceId: grievance.grievanceId,
  });
  await deps.grievances.markResume(keys.grievance(grievance.encounterId, grievance.grievanceId), outcome);
}
