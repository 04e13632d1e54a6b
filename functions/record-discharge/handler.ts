import { z } from 'zod';
import { recordDischarge } from '../../shared/domain/discharge';
import { ConflictError } from '../../shared/domain/errors';
import { dischargeOrderData, taskCompletionOutput } from '../../shared/schemas/task-data';
import { stepDeps, type StepDeps } from '../../shared/workflow/deps';
import { workflowStep } from '../../shared/workflow/step';

// `order` is absent when the ADT feed reported the discharge before the order was awaited.
const input = z.object({ encounterId: z.string().min(1), order: taskCompletionOutput.optional() });

/** State "Record the discharge": the encounter becomes discharged with disposition and time. */
export async function recordDischargeStep(event: z.infer<typeof input>, deps: StepDeps) {
  const encounter = await deps.encounters.mustGet(event.encounterId);
  if (encounter.discharge) return encounter.discharge;
  const now = deps.now();
  if (!event.order) throw new ConflictError(`Encounter ${event.encounterId} has neither a discharge order nor an ADT discharge`);
  const { task } = await deps.tasks.mustGet(event.order.taskId);
  const discharge = recordDischarge(encounter, dischargeOrderData.parse(task.data ?? {}), now);
  await deps.encounters.update(encounter, { status: 'discharged', fields: { discharge } }, now);
  return discharge;
}

export const handler = workflowStep(input, (event) => recordDischargeStep(event, stepDeps()));
