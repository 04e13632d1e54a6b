import type * as z from 'zod';
import { isDeath, tasksMootAfter } from '../../shared/domain/death';
import { recordDischarge } from '../../shared/domain/discharge';
import type { DischargeRecord, Encounter } from '../../shared/domain/encounter';
import { followUpExecutionName as followUpExecutionNameOf } from '../../shared/domain/workflows';
import { dischargeOrderData } from '../../shared/schemas/task-data';
import type { StepDeps } from '../../shared/workflow/deps';
import { workflowStep } from '../../shared/workflow/step';
import { STEP_INPUTS } from '../../shared/workflow/step-inputs';

const input = STEP_INPUTS['record-discharge'];

/**
 * State "Record the discharge": the encounter becomes discharged with disposition and time. The
 * output names the follow-up execution this discharge will start (numbered like this planning run).
 * A death or a discharge against medical advice also closes what it makes moot (issue 16 item 1),
 * whether the order or the ADT feed recorded it; a retry repeats nothing.
 */
export async function recordDischargeStep(event: z.infer<typeof input>, deps: StepDeps) {
  const encounter = await deps.encounters.mustGet(event.encounterId);
  const followUpExecutionName = followUpExecutionNameOf(encounter.encounterId, encounter.planningRun ?? 1);
  if (encounter.discharge) {
    await closeWhatTheDischargeMakesMoot(encounter, encounter.discharge, deps);
    return { ...encounter.discharge, followUpExecutionName };
  }
  if (event.order.outcome === 'discharged') {
    // The feed's discharge was cancelled (A13) before this step ran: nothing to record here;
    // planning goes on in the reopened execution.
    throw new DischargeCancelledError(`The ADT discharge of encounter ${encounter.encounterId} was cancelled`);
  }
  const now = deps.now();
  const { task } = await deps.tasks.mustGet(event.order.taskId);
  const discharge = recordDischarge(
    encounter,
    { ...dischargeOrderData.parse(task.data ?? {}), ...(task.completedBy ? { signedBy: task.completedBy } : {}) },
    now,
  );
  await deps.encounters.update(encounter, { status: 'discharged', fields: { discharge } }, now);
  await closeWhatTheDischargeMakesMoot(encounter, discharge, deps);
  return { ...discharge, followUpExecutionName };
}

/**
 * A death marks the patient deceased (its effects — appointments, follow-up, survey, the care
 * team's message — follow from that mark, in one place: react-to-record-changes/follow-death.ts).
 * A death or AMA closes the stay's planning tasks nobody can do any more.
 */
async function closeWhatTheDischargeMakesMoot(encounter: Encounter, discharge: DischargeRecord, deps: StepDeps): Promise<void> {
  if (isDeath(discharge.disposition)) {
    await deps.patients.recordDeath(
      encounter.patientId,
      {
        at: discharge.dischargedAt,
        timeFrom: 'discharge',
        source: discharge.source === 'adt' ? 'adt' : 'discharge-order',
        encounterId: encounter.encounterId,
      },
      deps.now,
    );
  }
  const { tasks, reason } = tasksMootAfter(discharge.disposition, await deps.tasks.listByEncounter(encounter.encounterId, 'open'));
  for (const task of tasks) await deps.tasks.cancel(task, reason, deps.now().toISOString(), { withEscalation: true });
}

export class DischargeCancelledError extends Error {
  override name = 'DischargeCancelledError';
}

export const handler = workflowStep(input, recordDischargeStep);
