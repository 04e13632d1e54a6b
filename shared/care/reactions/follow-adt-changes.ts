import { StopExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { Encounter } from '../../domain/encounter';
import { dischargePlanningExecutionName, executionArnOf, followUpExecutionName, needsDischargePlanning } from '../../domain/workflows';
import type { EncounterStore } from '../../store/encounter-store';
import { logger } from '../../observability/logger';
import { count } from '../../observability/metrics';
import type { ReferralStore } from '../../store/referral-store';
import type { TaskStore } from '../../store/task-store';
import type { transitionRecordStore } from '../../store/transition-record-store';
import { DISCHARGE_CANCELLED } from '../../domain/adt/apply-to-encounter';
import { retractTransitionRecords } from '../discharge/transition-record';
import { startDischargePlanning } from './start-discharge-planning';
import { startExecutionOnce } from './start-execution-once';

export interface FollowDeps {
  sfn: SFNClient;
  tasks: TaskStore;
  encounters: EncounterStore;
  referrals: ReferralStore;
  transitionRecords: ReturnType<typeof transitionRecordStore>;
  stateMachineArn: string;
  followUpStateMachineArn: string;
  now: () => Date;
}

/**
 * An encounter changed (by the ADT feed, usually): keep its workflow in step.
 * - became an inpatient (A06), or reinstated after a cancel: start discharge planning;
 * - discharged by the feed (A03): hand "discharged" to whatever person-step is waiting;
 * - discharge cancelled (A13): retract the transition record sent, cancel the follow-up, reopen planning;
 * - admission cancelled (A11): stop the workflow and cancel its open tasks.
 */
export async function followEncounterChange(before: Encounter, after: Encounter, deps: FollowDeps): Promise<void> {
  if (needsDischargePlanning(after) && before.status === 'cancelled') {
    // Reinstated by a newer admission (A01 after A11): the first execution was stopped for good.
    await startExecutionOnce(deps, dischargePlanningExecutionName(after.encounterId, after.planningRun ?? 2), {
      encounterId: after.encounterId,
    });
  } else if (needsDischargePlanning(after) && !needsDischargePlanning({ ...before, status: after.status })) {
    await startDischargePlanning(after, deps);
  }
  const stillDischarged = async () => (await deps.encounters.get(after.encounterId))?.status === 'discharged';
  if (after.status === 'discharged' && before.status !== 'discharged' && after.discharge?.source === 'adt' && (await stillDischarged())) {
    for (const task of await deps.tasks.listByEncounter(after.encounterId, 'open')) {
      if (!task.resumesWorkflow) continue;
      await deps.tasks.complete(task, { outcome: 'discharged', completedAt: deps.now().toISOString() }).catch((error: Error) => {
        if (error.name !== 'ConflictError') throw error; // completed by a person meanwhile
      });
    }
    // Referrals still out for a patient who has left are withdrawn (their waits resume).
    for (const { referral } of await deps.referrals.list(after.encounterId)) {
      if (referral.status === 'sent')
        await deps.referrals.close(referral, 'withdrawn', { reason: 'Patient discharged (ADT A03)', at: deps.now().toISOString() }, true);
    }
  }
  if (before.discharge && !after.discharge && after.reopenedAt && after.status !== 'cancelled') {
    // What was sent to the next provider and the PCP described a discharge that did not happen.
    await retractTransitionRecords(after.encounterId, before.planningRun ?? 1, { reason: DISCHARGE_CANCELLED, at: after.reopenedAt }, deps);
    // The follow-up of a discharge that did not happen stops, with its tasks.
    await stopIfRunning(
      deps.sfn,
      executionArnOf(deps.followUpStateMachineArn, followUpExecutionName(after.encounterId, before.planningRun ?? 1)),
      {
        error: 'Encounter.DischargeCancelled',
        cause: 'ADT A13: discharge cancelled',
      },
    );
    for (const task of await deps.tasks.listByEncounter(after.encounterId, 'open')) {
      if (task.type === 'follow-up-contact' || task.type === 'follow-up-visit') {
        await deps.tasks.cancel(task, 'discharge cancelled (A13)', deps.now().toISOString(), { withEscalation: true });
      }
    }
    // With a plan on record, planning resumes at the discharge order; without one, from the start.
    await startExecutionOnce(deps, dischargePlanningExecutionName(after.encounterId, after.planningRun ?? 2), {
      encounterId: after.encounterId,
      reopened: !!after.dischargePlan,
    });
    logger.info('Discharge planning reopened', { encounterId: after.encounterId });
  }
  if (after.status === 'cancelled' && before.status !== 'cancelled') {
    // The execution may not have linked itself to the encounter yet: its ARN is known anyway.
    const executionArn =
      after.executionArn ?? executionArnOf(deps.stateMachineArn, dischargePlanningExecutionName(after.encounterId, after.planningRun ?? 1));
    await stopIfRunning(deps.sfn, executionArn, { error: 'Encounter.AdmissionCancelled', cause: 'ADT A11: admission cancelled' });
    for (const task of await deps.tasks.listByEncounter(after.encounterId, 'open')) {
      await deps.tasks.cancel(task, 'admission cancelled (A11)', deps.now().toISOString());
    }
  }
}

/**
 * Stopping an execution that never started, or already ended, is not an error here. A stop is
 * counted (ExecutionsStoppedByCarepath, per state machine): the aborted-execution alarms subtract
 * these routine stops (A11, A13) and page only on the others.
 */
export async function stopIfRunning(sfn: SFNClient, executionArn: string, why: { error: string; cause: string }): Promise<void> {
  const stopped = await sfn.send(new StopExecutionCommand({ executionArn, ...why })).then(
    () => true,
    (error: Error) => {
      if (error.name !== 'ExecutionDoesNotExist') throw error;
      return false;
    },
  );
  // execution ARN: arn:<partition>:states:<region>:<account>:execution:<state machine>:<name>
  if (stopped) count('ExecutionsStoppedByCarepath', { workflow: executionArn.split(':')[6] ?? 'unknown' });
}
