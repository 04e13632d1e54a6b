import { z } from 'zod';
import { recordDischarge } from '../../shared/domain/discharge';
import { dischargeOrderData, taskCompletionOutput } from '../../shared/schemas/task-data';
import { stepDeps, type StepDeps } from '../../shared/workflow/deps';
import { workflowStep } from '../../shared/workflow/step';

const input = z.object({ encounterId: z.string().min(1), order: taskCompletionOutput });

/** State "Record the discharge": the encounter becomes discharged with disposition and time. */
export async function recordDischargeStep(event: z.infer<typeof input>, deps: StepDeps) {
  const encounter = await deps.encounters.mustGet(event.encounterId);
  if (encounter.discharge) return encounter.discharge;
  const now = deps.now();
  const { task } = await deps.tasks.mustGet(event.order.taskId);
  const discharge = recordDischarge(encounter, dischargeOrderData.parse(task.data ?? {}), now);
  await deps.encounters.update(encounter, { status: 'discharged', fields: { discharge } }, now);
  return discharge;
}

export const handler = workflowStep(input, (event) => recordDischargeStep(event, stepDeps()));
