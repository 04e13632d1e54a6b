import { StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { Encounter } from '../../shared/domain/encounter';
import { dischargePlanningExecutionName, needsDischargePlanning } from '../../shared/domain/workflows';
import { logger } from '../../shared/observability/logger';

/** Starts an execution by name; a repeat (stream retry) finds it started and is harmless. */
export async function startExecutionOnce(
  deps: { sfn: SFNClient; stateMachineArn: string },
  name: string,
  input: Record<string, unknown>,
): Promise<void> {
  try {
    await deps.sfn.send(new StartExecutionCommand({ stateMachineArn: deps.stateMachineArn, name, input: JSON.stringify(input) }));
  } catch (error) {
    if ((error as Error).name !== 'ExecutionAlreadyExists') throw error;
  }
}

/** A stored inpatient or observation encounter starts its discharge-planning execution. */
export async function startDischargePlanning(encounter: Encounter, deps: { sfn: SFNClient; stateMachineArn: string }): Promise<void> {
  if (!needsDischargePlanning(encounter)) return;
  await startExecutionOnce(deps, dischargePlanningExecutionName(encounter.encounterId, encounter.planningRun ?? 1), { encounterId: encounter.encounterId });
  logger.info('Discharge planning started', { encounterId: encounter.encounterId });
}
