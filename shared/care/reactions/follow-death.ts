import type { SFNClient } from '@aws-sdk/client-sfn';
import {
  appointmentsVoidedByDeath,
  cancelledByDeath,
  DEATH_ACTOR,
  deathCutoff,
  deathMessageBody,
  outreachMootAfterDeath,
  stayToTell,
  withdrawnSurvey,
} from '../../domain/death';
import type { Encounter, Patient } from '../../domain/encounter';
import { ConflictError } from '../../domain/errors';
import { executionArnOf } from '../../domain/workflows';
import { stableId } from '../../ids';
import { logger } from '../../observability/logger';
import type { CareTeamStore } from '../../store/care-team-store';
import { isConditionFailure } from '../../store/dynamo';
import type { EncounterChanges, EncounterStore } from '../../store/encounter-store';
import type { PatientStore } from '../../store/patient-store';
import type { ScheduleStore } from '../../store/schedule-store';
import type { TaskStore } from '../../store/task-store';
import { stopIfRunning } from './follow-adt-changes';

const STAY_WAIT_MS = 2 * 60_000;

export class StayNotYetWrittenError extends Error {
  override name = 'StayNotYetWrittenError';
  constructor(patientId: string) {
    super(`No stay of patient ${patientId} yet to tell of the death; retried`);
  }
}

export interface DeathDeps {
  sfn: SFNClient;
  patients: PatientStore;
  encounters: EncounterStore;
  tasks: TaskStore;
  schedule: ScheduleStore;
  careTeam: CareTeamStore;
  followUpStateMachineArn: string;
  now: () => Date;
}

/**
 * A patient was marked deceased (`deathEffects: pending`), by the ADT feed or the discharge order:
 * the one place a death's effects happen (issue 16 item 2). Future appointments are cancelled
 * (and so leave the .ics), a running TCM follow-up stops with its contact and visit tasks, an
 * unanswered survey is withdrawn, and the care team gets one message. Every step is conditional
 * or keyed, so a redelivered stream record or a second report of the death repeats nothing.
 */
export async function followDeath(patient: Patient, deps: DeathDeps): Promise<void> {
  if (!patient.deceased || patient.deathEffects !== 'pending') return;
  const now = deps.now();
  const cutoff = deathCutoff(patient, now);

  for (const appointment of appointmentsVoidedByDeath(await deps.schedule.appointmentsOfPatient(patient.patientId), cutoff)) {
    await deps.schedule.cancel(appointment, cancelledByDeath(appointment, now)).catch(async (error: Error) => {
      // Changed meanwhile (cancelled by a person, rescheduled): judge the stored one again.
      if (!(error instanceof ConflictError)) throw error;
      const stored = await deps.schedule.getAppointment(appointment.appointmentId);
      if (stored && appointmentsVoidedByDeath([stored], cutoff).length > 0) throw error;
    });
  }

  const stays: Encounter[] = [];
  for (const listed of await deps.encounters.listByPatient(patient.patientId)) {
    // The index is eventually consistent: act on the stay as stored.
    const stay = (await deps.encounters.get(listed.encounterId)) ?? listed;
    stays.push(await endOutreach(stay, cutoff, deps, now));
  }

  const stay = stayToTell(patient, stays);
  // The feed writes a new patient before the stay its message creates: wait for the stay (the
  // stream retries) rather than lose the team's message. A patient with no stay has no team.
  if (!stay && Date.parse(patient.death?.recordedAt ?? '') > now.getTime() - STAY_WAIT_MS)
    throw new StayNotYetWrittenError(patient.patientId);
  if (stay) {
    const appointments = await deps.schedule.appointmentsOfPatient(patient.patientId);
    const body = deathMessageBody(patient, {
      appointmentsCancelled: appointments.filter((a) => a.cancel?.by === DEATH_ACTOR).length,
      followUpsStopped: stays.filter((s) => s.followUp?.endedByDeathAt).length,
      surveysWithdrawn: stays.filter((s) => s.satisfactionSurvey?.status === 'withdrawn').length,
    });
    // One message per death: its id and time come from the death record, so a repeat is the same item.
    await deps.careTeam
      .post({
        messageId: stableId(patient.patientId, 'death'),
        encounterId: stay.encounterId,
        author: 'Carepath',
        body,
        sentAt: patient.death?.recordedAt ?? cutoff,
      })
      .catch((error: Error) => {
        if (!isConditionFailure(error)) throw error;
      });
  }
  await deps.patients.markDeathEffectsDone(patient.patientId);
  logger.info('Death recorded: outreach stopped', { patientId: patient.patientId, stays: stays.length });
}

/** One stay: its follow-up stopped and closed, its outreach tasks cancelled, its survey withdrawn. */
async function endOutreach(stay: Encounter, cutoff: string, deps: DeathDeps, now: Date): Promise<Encounter> {
  const fields: EncounterChanges['fields'] = {};
  if (stay.followUp?.status === 'open') {
    await stopIfRunning(deps.sfn, executionArnOf(deps.followUpStateMachineArn, stay.followUp.executionName), {
      error: 'Patient.Died',
      cause: 'The patient died: no further TCM outreach',
    });
    fields.followUp = { ...stay.followUp, status: 'closed', closedAt: now.toISOString(), endedByDeathAt: cutoff };
  }
  for (const task of outreachMootAfterDeath(await deps.tasks.listByEncounter(stay.encounterId, 'open'))) {
    await deps.tasks.cancel(task, 'patient died', now.toISOString(), { withEscalation: true });
  }
  const survey = withdrawnSurvey(stay.satisfactionSurvey, now);
  if (survey) fields.satisfactionSurvey = survey;
  if (Object.keys(fields).length === 0) return stay;
  return deps.encounters.update(stay, { fields }, now);
}
