import { ConflictError } from '../../domain/errors';
import { judgeVisit, readmissionWithin, visitOf } from '../../domain/follow-up';
import { facilityTimeZone } from '../../site-config';
import type { StepDeps } from '../../workflow/deps';

/**
 * What the follow-up steps judge from, read fresh at each checkpoint: the stay and its plan,
 * a readmission within the window, and the visit as it stands (documented, or booked and held).
 */
export async function followUpAsItStands(encounterId: string, deps: StepDeps, now: Date) {
  const encounter = await deps.encounters.mustGet(encounterId);
  const { followUp, discharge } = encounter;
  if (!followUp || !discharge) throw new ConflictError(`Encounter ${encounter.encounterId} has no follow-up plan`);
  const [stays, appointments] = await Promise.all([
    deps.encounters.listByPatient(encounter.patientId),
    deps.schedule.appointmentsOfPatient(encounter.patientId),
  ]);
  return {
    encounter,
    followUp,
    readmittedEncounterId: readmissionWithin(followUp, discharge.dischargedAt, stays),
    visit: judgeVisit(
      visitOf(followUp, appointments, encounter.encounterId, now),
      followUp.visitDueBy,
      facilityTimeZone(encounter.facilityId),
    ),
  };
}
