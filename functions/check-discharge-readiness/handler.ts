import * as z from 'zod';
import { awaitedRole, dischargeReadiness } from '../../shared/domain/discharge-readiness';
import { isOpen } from '../../shared/domain/education';
import { currentRiskTier } from '../../shared/domain/risk/encounter-risk';
import { facilityTimeZone } from '../../shared/site-config';
import { bookedFollowUp, followUpWithinDays } from '../../shared/domain/scheduling';
import { stepDeps, type StepDeps } from '../../shared/workflow/deps';
import { workflowStep } from '../../shared/workflow/step';

const input = z.object({ encounterId: z.string().min(1) });

/**
 * State "Check discharge requirements": what 42 CFR 482.43 needs on the record before the
 * discharge, written on the encounter (`dischargeReadiness`) and returned for the Choice after it.
 * `round` names this check, so each round of "Await missing discharge elements" is its own task.
 */
export async function checkDischargeReadiness({ encounterId }: z.infer<typeof input>, deps: StepDeps) {
  const encounter = await deps.encounters.mustGet(encounterId);
  const [items, appointments] = await Promise.all([deps.education.list(encounterId), deps.schedule.appointmentsOfPatient(encounter.patientId)]);
  const now = deps.now();
  const withinDays = followUpWithinDays(currentRiskTier(encounter, now, facilityTimeZone(encounter.facilityId)));
  const readiness = dischargeReadiness(
    encounter,
    { education: { total: items.length, open: items.filter(isOpen).length }, followUpVisitBooked: bookedFollowUp(appointments, encounterId, now, withinDays) !== undefined },
    now,
  );
  await deps.encounters.update(encounter, { fields: { dischargeReadiness: readiness } }, deps.now());
  return {
    ready: readiness.ready,
    missing: readiness.missing.map((m) => m.description),
    awaitedRole: awaitedRole(readiness),
    round: readiness.checkedAt,
  };
}

export const handler = workflowStep(input, (event) => checkDischargeReadiness(event, stepDeps()));
