import { z } from 'zod';
import { NotFoundError } from '../../shared/domain/errors';
import { screenAtAdmission } from '../../shared/domain/screening';
import { stepDeps, type StepDeps } from '../../shared/workflow/deps';
import { workflowStep } from '../../shared/workflow/step';

const input = z.object({ encounterId: z.string().min(1) });

/** State "Screen patient at admission": early identification (42 CFR 482.43(a)). */
export async function screenPatient({ encounterId }: z.infer<typeof input>, deps: StepDeps) {
  const encounter = await deps.encounters.mustGet(encounterId);
  let screening = encounter.screening;
  if (!screening) {
    const patient = await deps.patients.get(encounter.patientId);
    if (!patient) throw new NotFoundError(`Patient of encounter ${encounterId} not found`);
    screening = screenAtAdmission(
      { birthDate: patient.birthDate, admittedAt: encounter.admittedAt, admissionType: encounter.admissionType },
      deps.now(),
    );
    // Status only moves forward from "admitted": an ADT discharge or cancel that came first stands.
    await deps.encounters.update(
      encounter,
      { ...(encounter.status === 'admitted' ? { status: 'assessment-pending' as const } : {}), fields: { screening } },
      deps.now(),
    );
  }
  return {
    screenedIn: screening.screenedIn,
    priority: screening.priority,
    assessmentDueWithinHours: screening.assessmentDueWithinHours,
  };
}

export const handler = workflowStep(input, (event) => screenPatient(event, stepDeps()));
