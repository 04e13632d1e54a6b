import type { Recorder } from './access';
import { ConflictError, ValidationError } from './errors';

/**
 * Complaints and grievances (42 CFR 482.13(a)(2), DOMAIN.md §1): every grievance has a named
 * contact, stated time frames (acknowledge, then resolve in writing; configurable, by default 7
 * and 30 days), investigation notes, and a written decision naming the contact person, the steps
 * taken to investigate, the results and the completion date. Quality-of-care and
 * premature-discharge grievances are also referred to the QIO (the Medicare beneficiary's right).
 */
export const GRIEVANCE_CHANNELS = ['phone', 'in-person', 'letter', 'email', 'portal', 'survey'] as const;
export const GRIEVANCE_CATEGORIES = [
  'quality-of-care',
  'premature-discharge',
  'communication',
  'staff-conduct',
  'access',
  'billing',
  'privacy',
  'environment',
  'other',
] as const;
export const GRIEVANCE_SEVERITIES = ['low', 'moderate', 'high', 'critical'] as const;
export type GrievanceCategory = (typeof GRIEVANCE_CATEGORIES)[number];

/** Categories the QIO reviews for Medicare beneficiaries. */
export const QIO_CATEGORIES: readonly GrievanceCategory[] = ['quality-of-care', 'premature-discharge'];

export interface GrievanceDeadlinePolicy {
  acknowledgeWithinDays: number;
  resolveWithinDays: number;
}
export const DEFAULT_GRIEVANCE_POLICY: GrievanceDeadlinePolicy = { acknowledgeWithinDays: 7, resolveWithinDays: 30 };

export interface WrittenDecision {
  contactPerson: string;
  stepsTaken: string[];
  results: string;
  completedAt: string;
  /** Who wrote it, as the body names them: an attribution, grants nothing. */
  writtenBy: string;
  /** Who recorded it, as the token says (absent on decisions from before issue 16 item 5). */
  recorder?: Recorder;
}

export interface Grievance {
  grievanceId: string;
  facilityId: string;
  patientId: string;
  encounterId: string;
  executionName: string;
  channel: (typeof GRIEVANCE_CHANNELS)[number];
  category: GrievanceCategory;
  severity: (typeof GRIEVANCE_SEVERITIES)[number];
  /** Who raised it: the patient, a representative or family (their relation only; the text stays in `description`). */
  raisedBy: 'patient' | 'representative' | 'family' | 'other';
  description: string;
  namedContact: string;
  receivedAt: string;
  acknowledgeBy: string;
  resolveBy: string;
  status: 'open' | 'acknowledged' | 'resolved';
  acknowledgedAt?: string;
  /** Who acknowledged it, as the token says (the body's `by` is a name only and is not kept). */
  acknowledgedBy?: Recorder;
  /** `by` is the name the body gave; `recorder` the token that wrote the note. */
  notes: Array<{ at: string; by: string; text: string; recorder?: Recorder }>;
  qioReferral?: { referredAt: string; reason: string };
  decision?: WrittenDecision;
  /** Judged when the decision is written (or a deadline passes): kept for the metrics. */
  acknowledgedOnTime?: boolean;
  resolvedOnTime?: boolean;
  escalated?: Array<'acknowledgement' | 'resolution'>;
  awaiting?: 'acknowledgement' | 'decision';
  resume?: 'pending' | 'delivered' | 'not-waiting';
  version: number;
}

const DAY_MS = 86_400_000;
export const MAX_NOTES = 200;

export function deadlinesFor(receivedAt: string, policy: GrievanceDeadlinePolicy): { acknowledgeBy: string; resolveBy: string } {
  const received = Date.parse(receivedAt);
  return {
    acknowledgeBy: new Date(received + policy.acknowledgeWithinDays * DAY_MS).toISOString(),
    resolveBy: new Date(received + policy.resolveWithinDays * DAY_MS).toISOString(),
  };
}

/** Whole seconds until an instant, at least 1 (a Step Functions timeout must be positive). */
export const secondsUntil = (iso: string, now: Date) => Math.max(1, Math.ceil((Date.parse(iso) - now.getTime()) / 1000));

export function acknowledge(grievance: Grievance, at: string, now: Date, by?: Recorder): Grievance {
  if (grievance.status !== 'open') throw new ConflictError(`Grievance ${grievance.grievanceId} is already ${grievance.status}`);
  if (Date.parse(at) > now.getTime())
    throw new ValidationError('The acknowledgement is in the future', [{ field: 'acknowledgedAt', reason: 'must not be in the future' }]);
  if (at < grievance.receivedAt)
    throw new ValidationError('The acknowledgement is before the grievance', [
      { field: 'acknowledgedAt', reason: 'must not be before the grievance was received' },
    ]);
  return {
    ...grievance,
    status: 'acknowledged',
    acknowledgedAt: at,
    ...(by ? { acknowledgedBy: by } : {}),
    acknowledgedOnTime: at <= grievance.acknowledgeBy,
  };
}

export function addNote(grievance: Grievance, note: { by: string; text: string; recorder?: Recorder }, now: Date): Grievance {
  if (grievance.status === 'resolved') throw new ConflictError(`Grievance ${grievance.grievanceId} is resolved; its record is closed`);
  if (grievance.notes.length >= MAX_NOTES)
    throw new ValidationError('Too many notes', [{ field: 'text', reason: `at most ${MAX_NOTES} notes per grievance` }]);
  return { ...grievance, notes: [...grievance.notes, { ...note, at: now.toISOString() }] };
}

/** The written decision closes the grievance; writing it also acknowledges one not yet acknowledged. */
export function decide(grievance: Grievance, decision: WrittenDecision, now: Date): Grievance {
  if (grievance.status === 'resolved') throw new ConflictError(`Grievance ${grievance.grievanceId} is already resolved`);
  if (Date.parse(decision.completedAt) > now.getTime())
    throw new ValidationError('The decision is in the future', [{ field: 'completedAt', reason: 'must not be in the future' }]);
  if (decision.completedAt < grievance.receivedAt)
    throw new ValidationError('The decision is before the grievance', [
      { field: 'completedAt', reason: 'must not be before the grievance was received' },
    ]);
  const acknowledged = grievance.acknowledgedAt
    ? grievance
    : { ...grievance, acknowledgedAt: decision.completedAt, acknowledgedOnTime: decision.completedAt <= grievance.acknowledgeBy };
  return { ...acknowledged, status: 'resolved', decision, resolvedOnTime: decision.completedAt <= grievance.resolveBy };
}

/** What a waiting state is handed: where the grievance stands and the seconds left to resolve it. */
export function grievanceProgress(
  grievance: Grievance,
  now: Date,
): { status: Grievance['status']; resolved: boolean; secondsToResolve: number } {
  return { status: grievance.status, resolved: grievance.status === 'resolved', secondsToResolve: secondsUntil(grievance.resolveBy, now) };
}
