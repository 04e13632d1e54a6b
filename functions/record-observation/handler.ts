import { recorderOf } from '../../shared/http/caller';
import { breaches } from '../../shared/domain/monitoring';
import { newTask, hoursFrom } from '../../shared/domain/tasks';
import { json } from '../../shared/http/responses';
import { httpRoute } from '../../shared/http/route';
import { newId, stableId } from '../../shared/ids';
import { encounterParams } from '../../shared/schemas/encounter';
import { observationBody } from '../../shared/schemas/monitoring';
import type { Alert } from '../../shared/store/monitoring-store';
import { encounterFor } from '../../shared/care/access/visible-records';

/**
 * POST /v1/encounters/{id}/observations: records a value; each care-plan threshold it breaks
 * raises an alert and a "review the care plan" task for the lead care manager, in the same write.
 */
export const handler = httpRoute({ params: encounterParams, body: observationBody }, async ({ params, body, caller, ports }) => {
  const encounter = await encounterFor(ports, caller, params.id);
  const now = ports.now();
  const observation = {
    observationId: newId(),
    encounterId: encounter.encounterId,
    ...body,
    by: recorderOf(caller),
    observedAt: new Date(body.observedAt).toISOString(),
  };
  const plan = await ports.carePlans.current(encounter.encounterId);
  const found = breaches(observation, plan?.thresholds ?? []);
  const reviewTask = found.length
    ? [
        {
          ...newTask(
            {
              taskId: stableId(observation.observationId, 'review-care-plan'),
              facilityId: encounter.facilityId,
              encounterId: encounter.encounterId,
              type: 'review-care-plan',
              priority: 'urgent',
              dueAt: hoursFrom(now, 4),
              resumesWorkflow: false,
            },
            now,
          ),
          ...(encounter.leadCareManagerId ? { assigneeId: encounter.leadCareManagerId } : {}),
        },
      ]
    : [];
  const alerts: Alert[] = found.map((breach) => ({
    alertId: newId(),
    encounterId: encounter.encounterId,
    observationId: observation.observationId,
    breach,
    raisedAt: now.toISOString(),
    taskId: reviewTask[0]!.taskId,
  }));
  await ports.monitoring.record(observation, alerts, reviewTask);
  return json(201, { observation, alerts });
});
