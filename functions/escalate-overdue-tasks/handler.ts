import { count } from '../../shared/observability/metrics';
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { escalatesWhenOverdue } from '../../shared/domain/tasks';
import { logger } from '../../shared/observability/logger';
import { observed } from '../../shared/observability/middleware';
import { ports } from '../../shared/care/ports';
import type { Stores } from '../../shared/store';
import { actingAs } from '../../shared/store/change-stamp';
import { escalateTask } from '../../shared/care/tasks/escalate';

/**
 * Every 15 minutes (EventBridge schedule): each open task past its due time gets one escalation
 * task for the stay's lead care manager (or the care-manager pool when none is named), and is
 * marked escalated. It reads the sparse due-time index, never the table; the escalation's id is
 * derived from the task, so a repeated run opens nothing twice.
 */
export async function escalateOverdueTasks(deps: Pick<Stores, 'encounters' | 'tasks'> & { now: () => Date }) {
  const now = deps.now();
  let escalated = 0;
  const overdue = await deps.tasks.listOverdue(now.toISOString());
  for (const taskId of overdue) {
    const stored = await deps.tasks.get(taskId);
    if (!stored || !escalatesWhenOverdue(stored.task) || stored.task.escalatedAt) continue;
    const encounter = await deps.encounters.get(stored.task.encounterId);
    if (!encounter) continue;
    const detail = `Overdue since ${stored.task.dueAt}: "${stored.task.title}" (owner: ${stored.task.ownerRole}, task ${taskId})`;
    if (await escalateTask(deps.tasks, stored.task, encounter, detail, now)) escalated += 1;
  }
  logger.info('Overdue-task escalation done', { overdue: overdue.length, escalated });
  count('TasksOverdue', {}, escalated);
  return { overdue: overdue.length, escalated };
}

export const handler = middy<ScheduledEvent, { overdue: number; escalated: number }, Error, Context>()
  .use(observed())
  .handler(() => actingAs({ who: 'overdue-task-escalation', role: 'system' }, () => escalateOverdueTasks(ports())));
