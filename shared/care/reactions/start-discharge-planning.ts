import type { SFNClient } from '@aws-sdk/client-sfn';
import type { Encounter } from '../../domain/encounter';
import { dischargePlanningExecutionName, needsDischargePlanning } from '../../domain/workflows';
import { logger } from '../../observability/logger';
import { startExecutionOnce } from './start-execution-once';

/** A stored inpatient or observation encounter starts its discharge-planning execution. */
export async function startDischargePlanning(
  encounter: Encounter,
  deps: { sfn: SFNClient; stateMachineArn: string; now?: () => Date },
): Promise<void> {
  if (!needsDischargePlanning(encounter)) return;
  await startExecutionOnce(deps, dischargePlanningExecutionName(encounter.encounterId, encounter.planningRun ?? 1), {
    encounterId: encounter.encounterId,
  });
  logger.info('Discharge planning started', { encounterId: encounter.encounterId });
}
