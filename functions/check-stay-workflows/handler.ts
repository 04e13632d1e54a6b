import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import type { Encounter } from '../../shared/domain/encounter';
import { dischargePlanningExecutionName, executionArnOf, followUpExecutionName } from '../../shared/domain/workflows';
import { judgeStay, stayWithoutWorkflowAttention, workflowThatShouldRun, type StayWorkflow } from '../../shared/domain/workflow-liveness';
import { stateMachineArn } from '../../shared/env';
import { logger } from '../../shared/observability/logger';
import { count } from '../../shared/observability/metrics';
import { observed } from '../../shared/observability/middleware';
import { ports } from '../../shared/care/ports';
import type { Stores } from '../../shared/store';
import { actingAs } from '../../shared/store/change-stamp';
import { sfnClient } from '../../shared/store/clients';
import { executionStatus } from '../../shared/store/workflow-status';
import { openOperatorTask, type OperatorTaskRequest } from '../../shared/care/operations/operator-task';

export interface CheckStayWorkflowsDeps extends Pick<Stores, 'encounters' | 'tasks'> {
  stateMachineArns: Record<StayWorkflow, string>;
  executionStatus: (executionArn: string) => Promise<string>;
  openOperatorTask: (request: OperatorTaskRequest) => Promise<unknown>;
  now: () => Date;
}

/** The execution the stay is on now: a reopen starts planning run n+1; the follow-up names its own. */
function currentExecutionName(encounter: Encounter, workflow: StayWorkflow): string {
  const run = encounter.planningRun ?? 1;
  if (workflow === 'discharge-planning') return dischargePlanningExecutionName(encounter.encounterId, run);
  return encounter.followUp?.executionName ?? followUpExecutionName(encounter.encounterId, run);
}

/**
 * The hourly liveness check (EventBridge schedule): every stay whose status says a workflow goes
 * on — discharge planning in hospital, the TCM follow-up after discharge (the sparse index's
 * awaiting-plan, planning and following-up partitions; never a table scan) — while that execution
 * is not running gets one operator task, and the count per workflow is a metric. Without it, a
 * stay whose execution was stopped, failed, or lost waits for ever with nobody told (issue 17
 * item 7). A stay already holding an open operator task is left alone: the operators know (a
 * "Needs attention" stop, a failed execution, an orphaned completion). The task's id derives
 * from the execution, so running the check again opens nothing twice.
 */
export async function checkStayWorkflows(deps: CheckStayWorkflowsDeps) {
  const now = deps.now();
  const candidates = await deps.encounters.listExpectingWorkflow();
  const notRunning: Record<StayWorkflow, number> = { 'discharge-planning': 0, 'post-discharge-follow-up': 0 };
  let opened = 0;
  for (const encounterId of candidates) {
    const encounter = await deps.encounters.get(encounterId);
    const workflow = encounter && workflowThatShouldRun(encounter);
    if (!encounter || !workflow) continue;
    const executionArn = executionArnOf(deps.stateMachineArns[workflow], currentExecutionName(encounter, workflow));
    const status = await deps.executionStatus(executionArn);
    if (judgeStay(encounter, status, now) !== 'not-running') continue;
    notRunning[workflow] += 1;
    const open = await deps.tasks.listByEncounter(encounterId, 'open');
    if (open.some((task) => task.type === 'needs-attention')) continue;
    await deps.openOperatorTask({ encounterId, executionArn, ...stayWithoutWorkflowAttention(encounter, workflow, status) });
    opened += 1;
    logger.warn('Stay without a running workflow', { encounterId, workflow, status });
  }
  // Written as 0 too: an alarm then reads "none" rather than "no data".
  for (const [workflow, n] of Object.entries(notRunning)) count('StaysWithoutRunningWorkflow', { workflow }, n);
  const total = notRunning['discharge-planning'] + notRunning['post-discharge-follow-up'];
  logger.info('Stay workflow check done', { candidates: candidates.length, notRunning: total, opened });
  return { candidates: candidates.length, notRunning: total, opened };
}

export const handler = middy<ScheduledEvent, { candidates: number; notRunning: number; opened: number }, Error, Context>()
  .use(observed())
  .handler(() =>
    actingAs({ who: 'stay-workflow-check', role: 'system' }, () => {
      const all = ports();
      return checkStayWorkflows({
        encounters: all.encounters,
        tasks: all.tasks,
        stateMachineArns: {
          'discharge-planning': stateMachineArn('discharge-planning'),
          'post-discharge-follow-up': stateMachineArn('post-discharge-follow-up'),
        },
        executionStatus: (executionArn) => executionStatus(sfnClient(), executionArn),
        openOperatorTask: (request) => openOperatorTask(request, all),
        now: all.now,
      });
    }),
  );
