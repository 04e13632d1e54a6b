import type * as z from 'zod';
import { planRevisionFor } from '../../shared/domain/discharge-plan';
import { awaitedRole, choiceListNeeded, dischargeReadiness } from '../../shared/domain/discharge-readiness';
import { isOpen } from '../../shared/domain/education';
import { currentRiskTier } from '../../shared/domain/risk/encounter-risk';
import { facilityTimeZone } from '../../shared/site-config';
import { bookedFollowUp, followUpWithinDays } from '../../shared/domain/scheduling';
import type { StepDeps } from '../../shared/workflow/deps';
import { workflowStep } from '../../shared/workflow/step';
import { STEP_INPUTS } from '../../shared/workflow/step-inputs';

const input = STEP_INPUTS['check-discharge-readiness'];

/**
 * State "Check discharge requirements": what 42 CFR 482.43 needs on the record before the
 * discharge, written on the encounter (`dischargeReadiness`) and returned for the Choice after it.
 * `round` names this check, so each round of "Await missing discharge elements" is its own task.
 * Checked against the physician's ordered disposition when there is one, never only the plan.
 */
export async function checkDischargeReadiness({ encounterId, order }: z.infer<typeof input>, deps: StepDeps) {
  const encounter = await deps.encounters.mustGet(encounterId);
  const [items, appointments] = await Promise.all([
    deps.education.list(encounterId),
    deps.schedule.appointmentsOfPatient(encounter.patientId),
  ]);
  const now = deps.now();
  const withinDays = followUpWithinDays(currentRiskTier(encounter, now, facilityTimeZone(encounter.facilityId)));
  // The physician ordered another path than planned: the plan follows the order (a discharge the
  // feed already recorded stands as it happened).
  const ordered = encounter.discharge ? undefined : order?.disposition;
  const revision =
    ordered && order ? planRevisionFor(encounter.dischargePlan, { taskId: order.taskId, disposition: ordered }, now) : undefined;
  const dischargePlan = revision && encounter.dischargePlan ? { ...encounter.dischargePlan, ...revision } : encounter.dischargePlan;
  const readiness = dischargeReadiness(
    { ...encounter, ...(dischargePlan ? { dischargePlan } : {}) },
    {
      education: { total: items.length, open: items.filter(isOpen).length },
      followUpVisitBooked: bookedFollowUp(appointments, encounterId, now, withinDays) !== undefined,
      ...(ordered ? { orderedDisposition: ordered } : {}),
    },
    now,
  );
  await deps.encounters.update(
    encounter,
    { fields: { dischargeReadiness: readiness, ...(revision ? { dischargePlan } : {}) } },
    deps.now(),
  );
  return {
    ready: readiness.ready,
    // Planning goes back for the choice list the ordered path needs (482.43(c)); the order stands.
    newChoiceList: !encounter.discharge && choiceListNeeded(ordered ?? dischargePlan?.path, encounter.choiceList),
    missing: readiness.missing.map((m) => m.description),
    awaitedRole: awaitedRole(readiness),
    round: readiness.checkedAt,
  };
}

export const handler = workflowStep(input, checkDischargeReadiness);
