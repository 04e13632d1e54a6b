import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { dischargePlanningExecutionName, executionArnOf } from '../../shared/domain/workflows';
import { judgeStay, stayWithoutWorkflowAttention } from '../../shared/domain/workflow-liveness';
import { requireEnv } from '../../shared/env';
import { logger } from '../../shared/observability/logger';
import { count } from '../../shared/observability/metrics';
import { observed } from '../../shared/observability/middleware';
import { stores, type Stores } from '../../shared/store';
import { actingAs } from '../../shared/store/change-stamp';
import { sfnClient } from '../../shared/store/clients';
import { executionStatus } from '../../shared/store/workflow-status';
import { openOperatorTask, type OperatorTaskRequest } from '../../shared/workflow/operator-task';

export interface CheckPlanningDeps extends Pick<Stores, 'encounters' | 'tasks'> {
  stateMachineArn: string;
  executionStatus: (executionArn: string) => Promise<string>;
  openOperatorTask: (request: OperatorTaskRequest) => Promise<unknown>;
  now: () => Date;
}

/**
 * The hourly liveness check (EventBridge schedule): every stay whose status says discharge
 * planning goes on (the sparse index's awaiting-plan and planning partitions — never a table
 * scan) while its current execution is not running gets one operator task, and the count is a
 * metric. Without it, a stay whose execution was stopped, failed, or lost waits for ever with
 * nobody told (issue 17 item 7). A stay already holding an open operator task is left alone:
 * the operators know (a "Needs attention" stop, a failed execution, an orphaned completion).
 * The task's id derives from the execution, so running the check again opens nothing twice.
 */
export async function checkPlanningWorkflows(deps: CheckPlanningDeps) {
  const now = deps.now();
  const candidates = await deps.encounters.listPlanning();
  let notRunning = 0;
  let opened = 0;
  for (const encounterId of candidates) {
    const encounter = await deps.encounters.get(encounterId);
    if (!encounter) continue;
    // The run the encounter is on now (a reopen starts run n+1), whether or not it has linked its ARN yet.
    const executionArn = executionArnOf(deps.stateMachineArn, dischargePlanningExecutionName(encounterId, encounter.planningRun ?? 1));
    const status = await deps.executionStatus(executionArn);
    if (judgeStay(encounter, status, now) !== 'not-running') continue;
    notRunning += 1;
    const open = await deps.tasks.listByEncounter(encounterId, 'open');
    if (open.some((task) => task.type === 'needs-attention')) continue;
    await deps.openOperatorTask({ encounterId, executionArn, ...stayWithoutWorkflowAttention(encounter, status) });
    opened += 1;
    logger.warn('Stay without a running workflow', { encounterId, status });
  }
  // Written as 0 too: an alarm then reads "none" rather than "no data".
  count('StaysWithoutRunningWorkflow', { workflow: deps.stateMachineArn.split(':').at(-1) ?? 'unknown' }, notRunning);
  logger.info('Planning workflow check done', { candidates: candidates.length, notRunning, opened });
  return { candidates: candidates.length, notRunning, opened };
}

export const handler = middy<ScheduledEvent, { candidates: number; notRunning: number; opened: number }, Error, Context>()
  .use(observed())
  .handler(() =>
    actingAs({ who: 'planning-workflow-check', role: 'system' }, () => {
      const all = stores();
      const now = () => new Date();
      return checkPlanningWorkflows({
        encounters: all.encounters,
        tasks: all.tasks,
        stateMachineArn: requireEnv('DISCHARGE_PLANNING_STATE_MACHINE_ARN'),
        executionStatus: (executionArn) => executionStatus(sfnClient(), executionArn),
        openOperatorTask: (request) => openOperatorTask(request, { ...all, now }),
        now,
      });
    }),
  );
