import middy from '@middy/core';
import { ListExecutionsCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { Context, ScheduledEvent } from 'aws-lambda';
import * as z from 'zod';
import { judgeExecutionAges, type ExecutionAges } from '../../shared/domain/stuck-executions';
import { logger } from '../../shared/observability/logger';
import { count, seconds } from '../../shared/observability/metrics';
import { observed } from '../../shared/observability/middleware';
import { systemNow } from '../../shared/care/ports';
import { sfnClient } from '../../shared/store/clients';

/** Each state machine to watch, with the longest one of its executions is expected to run. */
export const watchedMachines = z.array(
  z.object({ workflow: z.string().min(1), stateMachineArn: z.string().min(1), limitSeconds: z.number().int().positive() }),
);
export type WatchedMachine = z.infer<typeof watchedMachines>[number];

/**
 * The hourly check for stuck executions (EventBridge schedule): per state machine, the age of its
 * oldest running execution and how many run past the machine's limit, as metrics (the alarm is
 * on the second). Step Functions' own ExecutionTime is published only when an execution ends,
 * so it cannot tell one that never does. Only ids and dates are read: no execution input (PHI).
 */
export async function checkStuckExecutions(deps: {
  sfn: SFNClient;
  machines: WatchedMachine[];
  now: () => Date;
}): Promise<Record<string, ExecutionAges>> {
  const now = deps.now();
  const results: Record<string, ExecutionAges> = {};
  for (const machine of deps.machines) {
    const running: Array<{ startDate: Date }> = [];
    let nextToken: string | undefined;
    do {
      const page = await deps.sfn.send(
        new ListExecutionsCommand({ stateMachineArn: machine.stateMachineArn, statusFilter: 'RUNNING', maxResults: 1000, nextToken }),
      );
      for (const execution of page.executions ?? []) if (execution.startDate) running.push({ startDate: execution.startDate });
      nextToken = page.nextToken;
    } while (nextToken);
    const ages = judgeExecutionAges(running, machine.limitSeconds, now);
    seconds('OldestRunningExecutionAge', { workflow: machine.workflow }, ages.oldestAgeSeconds);
    // Written as 0 too: the alarm then reads "none stuck" rather than "no data".
    count('ExecutionsOverAgeLimit', { workflow: machine.workflow }, ages.overLimit);
    if (ages.overLimit > 0)
      logger.warn('Executions running past their limit', {
        workflow: machine.workflow,
        overLimit: ages.overLimit,
        oldestAgeSeconds: ages.oldestAgeSeconds,
      });
    results[machine.workflow] = ages;
  }
  return results;
}

let machines: WatchedMachine[] | undefined;

export const handler = middy<ScheduledEvent, Record<string, ExecutionAges>, Error, Context>()
  .use(observed())
  .handler(() => {
    machines ??= watchedMachines.parse(JSON.parse(process.env.WATCHED_STATE_MACHINES ?? '[]'));
    return checkStuckExecutions({ sfn: sfnClient(), machines, now: systemNow });
  });
