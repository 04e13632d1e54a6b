import { StartExecutionCommand, StopExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { Encounter } from '../../shared/domain/encounter';
import { needsDischargePlanning, reopenedExecutionName } from '../../shared/domain/workflows';
import { logger } from '../../shared/observability/logger';
import type { TaskStore } from '../../shared/store/task-store';
import { startDischargePlanning } from './start-discharge-planning';

export interface FollowDeps {
  sfn: SFNClient;
  tasks: TaskStore;
  stateMachineArn: string;
  now: () => Date;
}

/**
 * An encounter changed (by the ADT feed, usually): keep its workflow in step.
 * - became an inpatient (A06): start discharge planning;
 * - discharged by the feed (A03): hand "discharged" to whatever person-step is waiting;
 * - discharge cancelled (A13): cancel the follow-up and reopen planning at the discharge order;
 * - admission cancelled (A11): stop the workflow and cancel its open tasks.
 */
export async function followEncounterChange(before: Encounter, after: Encounter, deps: FollowDeps): Promise<void> {
  if (needsDischargePlanning(after) && !needsDischargePlanning({ ...before, status: after.status })) {
    await startDischargePlanning(after, deps);
  }
  if (after.status === 'discharged' && before.status !== 'discharged' && after.discharge?.source === 'adt') {
    for (const task of await deps.tasks.listByEncounter(after.encounterId, 'open')) {
      if (!task.resumesWorkflow) continue;
      await deps.tasks
        .complete(task, { outcome: 'discharged', completedAt: deps.now().toISOString() })
        .catch((error: Error) => {
          if (error.name !== 'ConflictError') throw error; // completed by a person meanwhile
        });
    }
  }
  if (before.discharge && !after.discharge && after.reopenedAt && after.status !== 'cancelled') {
    for (const task of await deps.tasks.listByEncounter(after.encounterId, 'open')) {
      if (task.type === 'follow-up-contact') await deps.tasks.cancel(task, 'discharge cancelled (A13)', deps.now().toISOString());
    }
    await deps.sfn
      .send(
        new StartExecutionCommand({
          stateMachineArn: deps.stateMachineArn,
          name: reopenedExecutionName(after.encounterId, after.reopenedAt),
          input: JSON.stringify({ encounterId: after.encounterId, reopened: true }),
        }),
      )
      .catch((error: Error) => {
        if (error.name !== 'ExecutionAlreadyExists') throw error;
      });
    logger.info('Discharge planning reopened', { encounterId: after.encounterId });
  }
  if (after.status === 'cancelled' && before.status !== 'cancelled') {
    if (after.executionArn) {
      await deps.sfn.send(
        new StopExecutionCommand({ executionArn: after.executionArn, error: 'Encounter.AdmissionCancelled', cause: 'ADT A11: admission cancelled' }),
      );
    }
    for (const task of await deps.tasks.listByEncounter(after.encounterId, 'open')) {
      await deps.tasks.cancel(task, 'admission cancelled (A11)', deps.now().toISOString());
    }
  }
}
