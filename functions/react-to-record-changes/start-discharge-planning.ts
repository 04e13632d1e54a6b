import { ExecutionAlreadyExists, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { Encounter } from '../../shared/domain/encounter';
import { dischargePlanningExecutionName, needsDischargePlanning } from '../../shared/domain/workflows';
import { logger } from '../../shared/observability/logger';

/**
 * A stored inpatient or observation encounter starts its discharge-planning execution. The
 * execution name makes a repeated start (stream retry) harmless.
 */
export async function startDischargePlanning(encounter: Encounter, deps: { sfn: SFNClient; stateMachineArn: string }): Promise<void> {
  if (!needsDischargePlanning(encounter)) return;
  try {
    await deps.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: deps.stateMachineArn,
        name: dischargePlanningExecutionName(encounter.encounterId),
        input: JSON.stringify({ encounterId: encounter.encounterId }),
      }),
    );
    logger.info('Discharge planning started', { encounterId: encounter.encounterId });
  } catch (error) {
    if (error instanceof ExecutionAlreadyExists || (error as Error).name === 'ExecutionAlreadyExists') return;
    throw error;
  }
}
