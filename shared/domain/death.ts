import type { AdtMessage } from './adt/adt-message';
import type { DischargeDisposition } from './discharge-plan';
import type { Patient } from './encounter';
import type { SatisfactionSurvey } from './satisfaction';
import type { Appointment } from './scheduling';
import type { CareTask, TaskType } from './tasks';

/**
 * What a recorded death does, wherever it is learnt (ADT PID-29/30, an A03 whose disposition is
 * expired, or the physician's discharge order): the patient is marked deceased once, and a single
 * reaction to that mark (shared/care/reactions/follow-death.ts) cancels what would
 * contact the patient or family as if alive. Sources are in docs/clinical-safety.md (DTH-*).
 */

/** Who recorded the death and from what: kept on the patient for the audit and the team message. */
export interface DeathRecord {
  recordedAt: string;
  source: 'adt' | 'discharge-order';
  /** Where the time of death came from: PID-29, the discharge time of an expired disposition, or none (PID-30 only). */
  timeFrom: 'PID-29' | 'discharge' | 'none';
  /** The stay the death ended, when the report names one. */
  encounterId?: string;
}

export interface DeathReport {
  at?: string;
  timeFrom: DeathRecord['timeFrom'];
  source: DeathRecord['source'];
  encounterId?: string;
}

export const isDeath = (disposition: DischargeDisposition | undefined) => disposition === 'expired';

/**
 * A death an ADT message reports: PID-29 (date/time of death), PID-30 = Y (death indicator), or
 * an A03 whose PV1-36 maps to expired (table 0112: 20, 40, 41, 42) — then the discharge time
 * (PV1-45, else the event time) is the time of death. PID-30 = N with no PID-29 reports nothing.
 */
export function deathInAdt(message: Pick<AdtMessage, 'event' | 'eventTime' | 'patient' | 'visit'>): DeathReport | undefined {
  const patient = message.patient;
  if (patient?.deceasedAt) return { at: patient.deceasedAt, timeFrom: 'PID-29', source: 'adt' };
  if (message.event === 'A03' && isDeath(message.visit?.disposition)) {
    return { at: message.visit?.dischargedAt ?? message.eventTime, timeFrom: 'discharge', source: 'adt' };
  }
  if (patient?.deathIndicator === 'Y') return { timeFrom: 'none', source: 'adt' };
  return undefined;
}

/**
 * The patient with a death applied. A death is recorded once: a second report (an ADT resend,
 * the order after the feed) changes nothing except that a PID-29 time replaces a time taken from
 * the discharge or a missing one. A newer message without PID-29/30 never brings a patient back
 * (that needs a correction by hand; see docs/clinical-safety.md DTH-1).
 */
export function recordDeath(patient: Patient, report: DeathReport, now: Date): { next: Patient; changed: boolean; first: boolean } {
  if (patient.deceased) {
    const better = report.at && report.timeFrom === 'PID-29' && patient.death?.timeFrom !== 'PID-29' && patient.deceasedAt !== report.at;
    if (!better) return { next: patient, changed: false, first: false };
    const next: Patient = {
      ...patient,
      deceasedAt: report.at,
      death: { ...patient.death!, timeFrom: 'PID-29' },
      updatedAt: now.toISOString(),
    };
    return { next, changed: true, first: false };
  }
  const death: DeathRecord = {
    recordedAt: now.toISOString(),
    source: report.source,
    timeFrom: report.timeFrom,
    ...(report.encounterId ? { encounterId: report.encounterId } : {}),
  };
  const next: Patient = {
    ...patient,
    deceased: true,
    ...(report.at ? { deceasedAt: report.at } : {}),
    death,
    deathEffects: 'pending',
    updatedAt: now.toISOString(),
  };
  return { next, changed: true, first: true };
}

/** From when appointments are void: the time of death, or when it was recorded if no time is known. */
export const deathCutoff = (patient: Pick<Patient, 'deceasedAt' | 'death'>, now: Date) =>
  patient.deceasedAt ?? patient.death?.recordedAt ?? now.toISOString();

/** Booked appointments that start at or after the death: cancelled, so they leave the calendar. */
export function appointmentsVoidedByDeath(appointments: readonly Appointment[], cutoff: string): Appointment[] {
  return appointments.filter((a) => a.status === 'booked' && Date.parse(a.start) >= Date.parse(cutoff));
}

export const DEATH_CANCEL_REASON = 'patient died';
export const DEATH_ACTOR = 'carepath:death';

/** The appointment as cancelled because the patient died. */
export const cancelledByDeath = (appointment: Appointment, now: Date): Appointment => ({
  ...appointment,
  status: 'cancelled',
  cancel: { reason: DEATH_CANCEL_REASON, by: DEATH_ACTOR, at: now.toISOString() },
  version: appointment.version + 1,
});

/** A survey not yet answered is withdrawn: HCAHPS counts a decedent as ineligible, not a non-response. */
export function withdrawnSurvey(survey: SatisfactionSurvey | undefined, now: Date): SatisfactionSurvey | undefined {
  if (survey?.status !== 'sent') return undefined;
  return { ...survey, status: 'withdrawn', withdrawnAt: now.toISOString(), withdrawnReason: DEATH_CANCEL_REASON };
}

/**
 * Task types a stay's end makes moot. When the patient died or left against medical advice there
 * is nobody to assess, teach back, offer a choice to or discharge safely: planning tasks close.
 * After a death, outreach to the patient (TCM contact and visit) and care-plan reviews close too.
 * Grievances, QIO referrals and operator tasks stay: they are about the hospital, not the patient's next step.
 */
const MOOT_WHEN_LEFT: readonly TaskType[] = [
  'needs-assessment',
  'patient-choice',
  'discharge-order',
  'discharge-requirements',
  'pharmacist-review',
  'plan-overdue',
];
const MOOT_AFTER_DEATH: readonly TaskType[] = [...MOOT_WHEN_LEFT, 'follow-up-contact', 'follow-up-visit', 'review-care-plan'];

export const LEFT_AMA: DischargeDisposition = 'left-against-medical-advice';

/** The open tasks a discharge with this disposition makes moot, with the reason each is closed for. */
export function tasksMootAfter(disposition: DischargeDisposition, tasks: readonly CareTask[]): { tasks: CareTask[]; reason: string } {
  const types = isDeath(disposition) ? MOOT_AFTER_DEATH : disposition === LEFT_AMA ? MOOT_WHEN_LEFT : [];
  const reason = isDeath(disposition) ? 'patient died' : 'patient left against medical advice';
  return { tasks: tasks.filter((t) => t.status === 'open' && types.includes(t.type)), reason };
}

/** After a death, wherever it was recorded: the outreach tasks of any stay (follow-up contact and visit, care-plan reviews). */
export const outreachMootAfterDeath = (tasks: readonly CareTask[]) =>
  tasks.filter(
    (t) =>
      t.status === 'open' && (['follow-up-contact', 'follow-up-visit', 'review-care-plan', 'plan-overdue'] as TaskType[]).includes(t.type),
  );

/** The care team's message: ids and what was done, nothing the chart does not already hold. */
export function deathMessageBody(
  patient: Pick<Patient, 'deceasedAt' | 'death'>,
  done: { appointmentsCancelled: number; followUpsStopped: number; surveysWithdrawn: number },
): string {
  const source = patient.death?.source === 'discharge-order' ? "the physician's discharge order" : 'the ADT feed';
  const when = patient.deceasedAt ? ` at ${patient.deceasedAt}` : ' (time of death not given)';
  return [
    `Patient died${when}, recorded from ${source}.`,
    `Cancelled: ${done.appointmentsCancelled} future appointment(s); stopped: ${done.followUpsStopped} post-discharge follow-up(s); withdrawn: ${done.surveysWithdrawn} satisfaction survey(s).`,
    "No further outreach to the patient will be made by Carepath. Bereavement contact with the family is the care team's to arrange.",
  ].join(' ');
}

/** The stay whose team hears of the death: the one the death ended, else the most recent one. */
export function stayToTell<T extends { encounterId: string; admittedAt: string; status: string }>(
  patient: Pick<Patient, 'death'>,
  stays: readonly T[],
): T | undefined {
  const named = stays.find((s) => s.encounterId === patient.death?.encounterId);
  if (named) return named;
  return [...stays].filter((s) => s.status !== 'cancelled').sort((a, b) => b.admittedAt.localeCompare(a.admittedAt))[0];
}
