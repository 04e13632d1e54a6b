import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { hoursFrom, newTask, PLAN_DUE_WITHIN_HOURS } from '../../shared/domain/tasks';
import { stableId } from '../../shared/ids';
import { logger } from '../../shared/observability/logger';
import { observed } from '../../shared/observability/middleware';
import { ports } from '../../shared/care/ports';
import type { Stores } from '../../shared/store';
import { actingAs } from '../../shared/store/change-stamp';
import { awaitsPlan } from '../../shared/store/keys';

/**
 * The daily sweep (EventBridge schedule): every inpatient or observation encounter admitted
 * more than 24 hours ago with no discharge plan gets one "plan overdue" task for its care
 * manager. It reads the sparse awaiting-plan index — never the table — and the task id is derived
 * from the encounter, so running it twice opens nothing twice.
 */
export async function sweepUnplannedInpatients(deps: Pick<Stores, 'encounters' | 'tasks'> & { now: () => Date }) {
  const now = deps.now();
  const before = hoursFrom(now, -PLAN_DUE_WITHIN_HOURS);
  let opened = 0;
  const candidates = await deps.encounters.listAwaitingPlan(before);
  for (const encounterId of candidates) {
    const encounter = await deps.encounters.get(encounterId);
    if (!encounter || !awaitsPlan(encounter)) continue;
    const task = newTask(
      {
        taskId: stableId(encounterId, 'plan-overdue'),
        facilityId: encounter.facilityId,
        encounterId,
        type: 'plan-overdue',
        priority: 'urgent',
        dueAt: hoursFrom(now, 4),
        resumesWorkflow: false,
      },
      now,
    );
    if (await deps.tasks.openOnce(task)) opened += 1;
  }
  logger.info('Unplanned-inpatient sweep done', { candidates: candidates.length, opened });
  return { candidates: candidates.length, opened };
}

export const handler = middy<ScheduledEvent, { candidates: number; opened: number }, Error, Context>()
  .use(observed())
  .handler(() => actingAs({ who: 'unplanned-inpatient-sweep', role: 'system' }, () => sweepUnplannedInpatients(ports())));
