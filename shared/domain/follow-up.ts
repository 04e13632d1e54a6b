import type { Recorder } from './access';
import { businessDaysAfter } from './business-days';
import { addDays, endOfLocalDay, localDate } from './clock';
import type { DischargeDisposition } from './discharge-plan';
import type { DischargeRecord } from './encounter';
import { ValidationError } from './errors';
import type { RiskTier } from './risk/encounter-risk';

/**
 * Post-discharge follow-up as Transitional Care Management (CPT 99495/99496, DOMAIN.md §2):
 * interactive contact within 2 business days of discharge (or at least 2 documented attempts),
 * a face-to-face visit within 7 calendar days (high complexity) or 14, medication
 * reconciliation no later than the visit, over a 30-day service period (discharge day + 29).
 */
export const CONTACT_BUSINESS_DAYS = 2;
export const MIN_FAILED_ATTEMPTS = 2;
export const SERVICE_PERIOD_DAYS = 30;
export const MAX_CONTACT_ATTEMPTS = 20;

/**
 * TCM covers discharges to a community setting (home, domiciliary, nursing facility, assisted
 * living). Not to hospice (the hospice manages the transition), another hospital, or after death.
 */
const QUALIFYING: ReadonlySet<DischargeDisposition> = new Set<DischargeDisposition>([
  'home',
  'home-with-services',
  'home-health',
  'home-iv',
  'skilled-nursing',
  'intermediate-care',
  'left-against-medical-advice',
]);

export function qualifiesForTcm(disposition: DischargeDisposition): boolean {
  return QUALIFYING.has(disposition);
}

export type Complexity = 'high' | 'moderate';

/** 99496 (high complexity, visit within 7 days) when the readmission risk is high, else 99495. */
export const complexityOf = (tier: RiskTier | undefined): Complexity => (tier === 'high' ? 'high' : 'moderate');

export interface FollowUpDeadlines {
  complexity: Complexity;
  /** End of the 2nd business day after discharge (the discharge day never counts). */
  contactDueBy: string;
  /** End of day 7 (high) or 14 after discharge. Medication reconciliation is due by the visit too. */
  visitDueBy: string;
  /** End of the service period: the discharge day + 29 days. */
  windowClosesAt: string;
}

/** Deadlines are ends of the facility's local days (its IANA zone), counted from the local discharge day. */
export function planFollowUp(
  discharge: Pick<DischargeRecord, 'dischargedAt'>,
  complexity: Complexity,
  holidays: readonly string[],
  timeZone: string,
): FollowUpDeadlines {
  const dischargedAt = new Date(discharge.dischargedAt);
  const endOfDay = (plusDays: number) => endOfLocalDay(addDays(localDate(dischargedAt, timeZone), plusDays), timeZone).toISOString();
  return {
    complexity,
    contactDueBy: businessDaysAfter(dischargedAt, CONTACT_BUSINESS_DAYS, timeZone, holidays).toISOString(),
    visitDueBy: endOfDay(complexity === 'high' ? 7 : 14),
    windowClosesAt: endOfDay(SERVICE_PERIOD_DAYS - 1),
  };
}

export const CONTACT_METHODS = ['phone', 'video', 'in-person', 'electronic'] as const;
export type ContactMethod = (typeof CONTACT_METHODS)[number];

export interface ContactAttempt {
  attemptId: string;
  at: string;
  method: ContactMethod;
  reached: boolean;
  /** The name the body gave (display only). Who recorded the attempt is `recorder`, from the token. */
  by: string;
  recorder?: Recorder;
}

export interface FollowUpVisit {
  seenAt: string;
  practitionerId: string;
  /** When the medications were reconciled after discharge (no later than the visit for TCM). */
  medicationsReconciledAt?: string;
}

/** met: reached in time; attempted: not reached but ≥2 attempts in time (still compliant); missed: neither. */
export type ContactOutcome = 'met' | 'attempted' | 'missed';
export type VisitOutcome = 'met' | 'missed';

export interface FollowUp extends FollowUpDeadlines {
  executionName: string;
  /** cancelled: its discharge was cancelled (ADT A13), so nothing of it is due any more. */
  status: 'open' | 'closed' | 'cancelled';
  contactTaskId: string;
  visitTaskId: string;
  attempts: ContactAttempt[];
  visit?: FollowUpVisit;
  contactOutcome?: ContactOutcome;
  visitOutcome?: VisitOutcome;
  /** Medication reconciliation on or before the visit date (false when missing or after it). */
  medicationsReconciledByVisit?: boolean;
  /** A readmission within the service period ends follow-up of this stay. */
  readmittedEncounterId?: string;
  /** The patient died during the service period: outreach stopped, the window closed then. */
  endedByDeathAt?: string;
  closedAt?: string;
  /** Why and when a cancelled follow-up was cancelled. */
  cancelReason?: string;
  cancelledAt?: string;
}

export function judgeContact(attempts: readonly ContactAttempt[], contactDueBy: string): ContactOutcome {
  const inTime = attempts.filter((attempt) => attempt.at <= contactDueBy);
  if (inTime.some((attempt) => attempt.reached)) return 'met';
  return inTime.length >= MIN_FAILED_ATTEMPTS ? 'attempted' : 'missed';
}

/**
 * The visit to judge: the one documented, else a follow-up visit booked for this stay that has
 * taken place by now (a booked visit satisfies the deadline; a cancelled one does not).
 */
export function visitOf(
  followUp: Pick<FollowUp, 'visit'>,
  booked: ReadonlyArray<{ encounterId: string; status: string; start: string; practitionerId: string }>,
  encounterId: string,
  now: Date,
): FollowUpVisit | undefined {
  if (followUp.visit) return followUp.visit;
  const held = booked
    .filter((a) => a.encounterId === encounterId && a.status === 'booked' && Date.parse(a.start) <= now.getTime())
    .sort((a, b) => a.start.localeCompare(b.start))[0];
  return held ? { seenAt: held.start, practitionerId: held.practitionerId } : undefined;
}

/** "No later than the visit date": the facility's local dates of the two are compared. */
export function judgeVisit(
  visit: FollowUpVisit | undefined,
  visitDueBy: string,
  timeZone: string,
): { outcome: VisitOutcome; medicationsReconciledByVisit: boolean } {
  if (!visit) return { outcome: 'missed', medicationsReconciledByVisit: false };
  const reconciled =
    visit.medicationsReconciledAt !== undefined && localDate(visit.medicationsReconciledAt, timeZone) <= localDate(visit.seenAt, timeZone);
  return { outcome: visit.seenAt <= visitDueBy ? 'met' : 'missed', medicationsReconciledByVisit: reconciled };
}

/** A contact attempt is documented after it happened, never before the discharge nor in the future. */
export function addContactAttempt(followUp: FollowUp, attempt: ContactAttempt, dischargedAt: string, now: Date): FollowUp {
  if (attempt.at < dischargedAt)
    throw new ValidationError('The attempt is before the discharge', [{ field: 'at', reason: 'must not be before the discharge time' }]);
  if (Date.parse(attempt.at) > now.getTime())
    throw new ValidationError('The attempt is in the future', [
      { field: 'at', reason: 'must not be in the future: document attempts after they happen' },
    ]);
  if (followUp.attempts.some((known) => known.attemptId === attempt.attemptId)) return followUp;
  if (followUp.attempts.length >= MAX_CONTACT_ATTEMPTS) {
    throw new ValidationError('Too many attempts', [
      { field: 'at', reason: `at most ${MAX_CONTACT_ATTEMPTS} attempts are kept per discharge` },
    ]);
  }
  return { ...followUp, attempts: [...followUp.attempts, attempt].sort((a, b) => a.at.localeCompare(b.at)) };
}

export function recordVisit(followUp: FollowUp, visit: FollowUpVisit, dischargedAt: string, now: Date): FollowUp {
  const issues = [];
  if (visit.seenAt < dischargedAt) issues.push({ field: 'seenAt', reason: 'must not be before the discharge time' });
  if (Date.parse(visit.seenAt) > now.getTime())
    issues.push({ field: 'seenAt', reason: 'must not be in the future: record the visit once it took place' });
  if (visit.medicationsReconciledAt && visit.medicationsReconciledAt < dischargedAt) {
    issues.push({ field: 'medicationsReconciledAt', reason: 'must not be before the discharge time' });
  }
  if (issues.length) throw new ValidationError('The visit cannot be recorded', issues);
  return { ...followUp, visit };
}

/** A later stay of the patient that began within this discharge's service period (a readmission) ends its follow-up. */
export function readmissionWithin(
  followUp: Pick<FollowUp, 'windowClosesAt'>,
  dischargedAt: string,
  later: ReadonlyArray<{ encounterId: string; admittedAt: string; status: string }>,
): string | undefined {
  return later.find((stay) => stay.status !== 'cancelled' && stay.admittedAt > dischargedAt && stay.admittedAt <= followUp.windowClosesAt)
    ?.encounterId;
}

/**
 * A follow-up belongs to its discharge: when the discharge is cancelled (ADT A13) it is cancelled
 * with it, keeping what was planned and documented for the record. The next discharge plans anew.
 */
export function cancelFollowUp(followUp: FollowUp, reason: string, at: string): FollowUp {
  if (followUp.status === 'cancelled') return followUp;
  return { ...followUp, status: 'cancelled', cancelReason: reason, cancelledAt: at };
}
