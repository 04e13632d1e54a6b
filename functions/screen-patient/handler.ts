import type * as z from 'zod';
import { NotFoundError } from '../../shared/domain/errors';
import { findReadmission, type Readmission } from '../../shared/domain/readmission';
import { screenAtAdmission } from '../../shared/domain/screening';
import { stableId } from '../../shared/ids';
import { facilityTimeZone } from '../../shared/site-config';
import { isConditionFailure } from '../../shared/store/dynamo';
import type { StepDeps } from '../../shared/workflow/deps';
import { workflowStep } from '../../shared/workflow/step';
import { STEP_INPUTS } from '../../shared/workflow/step-inputs';

const input = STEP_INPUTS['screen-patient'];

/** State "Screen patient at admission": early identification (42 CFR 482.43(a)). */
export async function screenPatient({ encounterId }: z.infer<typeof input>, deps: StepDeps) {
  const encounter = await deps.encounters.mustGet(encounterId);
  let screening = encounter.screening;
  if (!screening) {
    const patient = await deps.patients.get(encounter.patientId);
    if (!patient) throw new NotFoundError(`Patient of encounter ${encounterId} not found`);
    const readmission = findReadmission(
      encounter,
      await deps.encounters.listByPatient(encounter.patientId),
      facilityTimeZone(encounter.facilityId),
    );
    screening = screenAtAdmission(
      {
        birthDate: patient.birthDate,
        admittedAt: encounter.admittedAt,
        admissionType: encounter.admissionType,
        unplannedReadmission: !!readmission && !readmission.planned,
      },
      deps.now(),
    );
    if (readmission && !readmission.planned) await tellIndexCareTeam(encounter.encounterId, encounter.admittedAt, readmission, deps);
    // Status only moves forward from "admitted": an ADT discharge or cancel that came first stands.
    await deps.encounters.update(
      encounter,
      {
        ...(encounter.status === 'admitted' ? { status: 'assessment-pending' as const } : {}),
        fields: { screening, ...(readmission ? { readmission } : {}) },
      },
      deps.now(),
    );
  }
  return {
    screenedIn: screening.screenedIn,
    priority: screening.priority,
    assessmentDueWithinHours: screening.assessmentDueWithinHours,
  };
}

/** The index stay's care team hears of the readmission on its thread (once: the message id is derived). */
async function tellIndexCareTeam(encounterId: string, admittedAt: string, readmission: Readmission, deps: StepDeps): Promise<void> {
  try {
    await deps.careTeam.post({
      messageId: stableId(encounterId, 'readmission-notice'),
      encounterId: readmission.indexEncounterId,
      author: 'Carepath',
      body: `Readmitted ${readmission.daysSinceDischarge} days after this discharge, as encounter ${encounterId}.`,
      sentAt: admittedAt,
    });
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
}

export const handler = workflowStep(input, screenPatient);
