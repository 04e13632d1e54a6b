import * as z from 'zod';
import { recordDischarge } from '../../shared/domain/discharge';
import { followUpExecutionName as followUpExecutionNameOf } from '../../shared/domain/workflows';
import { dischargeOrderData, taskCompletionOutput } from '../../shared/schemas/task-data';
import { stepDeps, type StepDeps } from '../../shared/workflow/deps';
import { workflowStep } from '../../shared/workflow/step';

const input = z.object({ encounterId: z.string().min(1), order: taskCompletionOutput });

/**
 * State "Record the discharge": the encounter becomes discharged with disposition and time. The
 * output names the follow-up execution this discharge will start (numbered like this planning run).
 */
export async function recordDischargeStep(event: z.infer<typeof input>, deps: StepDeps) {
  const encounter = await deps.encounters.mustGet(event.encounterId);
  const followUpExecutionName = followUpExecutionNameOf(encounter.encounterId, encounter.planningRun ?? 1);
  if (encounter.discharge) return { ...encounter.discharge, followUpExecutionName };
  if (event.order.outcome === 'discharged') {
    // The feed's discharge was cancelled (A13) before this step ran: nothing to record here;
    // planning goes on in the reopened execution.
    throw new DischargeCancelledError(`The ADT discharge of encounter ${encounter.encounterId} was cancelled`);
  }
  const now = deps.now();
  const { task } = await deps.tasks.mustGet(event.order.taskId);
  const discharge = recordDischarge(encounter, dischargeOrderData.parse(task.data ?? {}), now);
  await deps.encounters.update(encounter, { status: 'discharged', fields: { discharge } }, now);
  return { ...discharge, followUpExecutionName };
}

export class DischargeCancelledError extends Error {
  override name = 'DischargeCancelledError';
}

export const handler = workflowStep(input, (event) => recordDischargeStep(event, stepDeps()));
