import type { AdtAspect, Encounter, EncounterStatus } from '../encounter';
import { cancelFollowUp } from '../follow-up';
import type { AdtEvent, AdtMessage, AdtVisit } from './adt-message';

/** The fields of an encounter that an ADT message sets; `undefined` removes a field. */
export type EncounterPatch = { [K in keyof Encounter]?: Encounter[K] | undefined };

/** An encounter with a patch applied (fields patched to `undefined` are gone). */
export function patched<T extends object>(record: T, patch: { [K in keyof T]?: T[K] | undefined }): T {
  const next = { ...record, ...patch } as T;
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) delete (next as Record<string, unknown>)[field];
  }
  return next;
}

export interface AdtApplication {
  patch: EncounterPatch;
  status?: EncounterStatus;
  applied: AdtAspect[];
  /** Aspects this message would have changed but a newer message already had: history only. */
  stale: AdtAspect[];
  /** Why nothing changed, when nothing did (for the ACK note and the audit trail). */
  note?: string;
}

/** What each event changes. A08 and the class changes also carry current location and details. */
const ASPECTS: Record<Exclude<AdtEvent, 'A28' | 'A31' | 'A40'>, AdtAspect[]> = {
  A01: ['admission', 'class', 'location', 'details'],
  A04: ['admission', 'class', 'location', 'details'],
  A05: ['admission', 'class', 'location', 'details'],
  A02: ['location'],
  A12: ['location'],
  A03: ['discharge'],
  A13: ['discharge'],
  A11: ['admission'],
  A16: ['pendingDischarge'],
  A25: ['pendingDischarge'],
  A06: ['class', 'location', 'details'],
  A07: ['class', 'location', 'details'],
  A08: ['location', 'details'],
  A21: ['leave'],
  A22: ['leave'],
};

export type EncounterEvent = keyof typeof ASPECTS;

/** The reason an A13 gives what it undoes (the follow-up, the transition record sent). */
export const DISCHARGE_CANCELLED = 'discharge cancelled (ADT A13)';
export const isEncounterEvent = (event: AdtEvent | null): event is EncounterEvent => !!event && event in ASPECTS;

/**
 * A new encounter from the first message Carepath sees for a visit — usually A01/A04/A05, but a
 * feed may deliver a transfer or discharge first; the visit is then created from what it says.
 */
export function encounterFromAdt(
  message: AdtMessage & { visit: AdtVisit },
  ids: { encounterId: string; patientId: string; facilityId: string },
  now: Date,
): Encounter {
  const { visit } = message;
  return {
    ...ids,
    unit: visit.location?.pointOfCare ?? 'unknown',
    class: visit.encounterClass,
    admissionType: visit.admissionType,
    admittedAt: visit.admittedAt ?? message.eventTime,
    status: 'admitted',
    version: 1,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    visitNumber: visit.visitNumber,
    adtAsOf: {},
  };
}

/**
 * Applies one ADT message to an encounter, aspect by aspect: an aspect changes only if this
 * message is at least as new (by event time) as the last one that changed it. So a late,
 * older message is recorded in the history but never overwrites newer state.
 */
export function applyAdtToEncounter(
  encounter: Encounter,
  message: AdtMessage & { visit: AdtVisit },
  event: EncounterEvent,
): AdtApplication {
  const asOf = encounter.adtAsOf ?? {};
  const fresh = (aspect: AdtAspect) => !asOf[aspect] || message.eventTime >= asOf[aspect]!;
  const wanted = ASPECTS[event];
  const applied = wanted.filter(fresh);
  const stale = wanted.filter((aspect) => !fresh(aspect));
  const result: AdtApplication = { patch: {}, applied: [], stale };
  if (applied.length === 0) {
    result.note = `older than the encounter's current ${stale.join(', ')}: recorded in history only`;
    return result;
  }

  const { visit } = message;
  const patch: EncounterPatch = {};
  let status: EncounterStatus | undefined;
  for (const aspect of applied) {
    switch (aspect) {
      case 'admission':
        if (event === 'A11') {
          status = 'cancelled';
          patch.cancelledAt = message.eventTime;
        } else {
          patch.admittedAt = visit.admittedAt ?? encounter.admittedAt;
          patch.admissionType = visit.admissionType;
          // A new admission for a visit that had been cancelled reinstates it.
          if (encounter.status === 'cancelled') {
            status = 'admitted';
            patch.cancelledAt = undefined;
            patch.planningRun = (encounter.planningRun ?? 1) + 1;
          }
        }
        break;
      case 'class':
        patch.class = visit.encounterClass;
        break;
      case 'location':
        if (event === 'A02') {
          patch.priorLocation = visit.priorLocation ?? encounter.location;
          patch.location = visit.location ?? encounter.location;
        } else if (event === 'A12') {
          // Cancel transfer: PV1-3 holds the location the patient stays in.
          patch.location = visit.location ?? encounter.priorLocation;
          patch.priorLocation = undefined;
        } else if (visit.location) {
          patch.location = visit.location;
        }
        if (patch.location) patch.unit = patch.location.pointOfCare;
        break;
      case 'details':
        if (visit.attending) patch.attending = visit.attending;
        if (visit.hospitalService) patch.hospitalService = visit.hospitalService;
        break;
      case 'pendingDischarge':
        patch.pendingDischarge = event === 'A16' ? { expectedAt: visit.expectedDischargeAt ?? message.eventTime } : undefined;
        break;
      case 'discharge':
        if (event === 'A03') {
          status = 'discharged';
          patch.pendingDischarge = undefined;
          patch.discharge = {
            disposition: visit.disposition ?? 'other',
            dischargedAt: visit.dischargedAt ?? message.eventTime,
            source: 'adt',
            ...(visit.dispositionCode ? { dispositionCode: visit.dispositionCode } : {}),
            ...(visit.dischargedTo ? { dischargedTo: visit.dischargedTo } : {}),
          };
        } else if (encounter.status === 'discharged' || encounter.discharge) {
          // A13: the patient did not leave. Planning resumes where a discharge order is awaited.
          status = encounter.dischargePlan ? 'awaiting-discharge-order' : 'assessment-pending';
          patch.discharge = undefined;
          patch.reopenedAt = message.eventTime;
          patch.planningRun = (encounter.planningRun ?? 1) + 1;
          // Its follow-up goes with it (in the same write): no contact is due for a discharge that did not happen.
          if (encounter.followUp) patch.followUp = cancelFollowUp(encounter.followUp, DISCHARGE_CANCELLED, message.eventTime);
        } else {
          // Still recorded as of this time, so an older A03 arriving later stays cancelled.
          result.note = 'no discharge to cancel';
        }
        break;
      case 'leave':
        patch.onLeave = event === 'A21';
        break;
    }
  }
  result.applied = applied;
  result.patch = { ...patch, adtAsOf: { ...asOf, ...Object.fromEntries(applied.map((a) => [a, message.eventTime])) } };
  // A cancelled admission stays cancelled unless a newer admission reinstates it: a late A03 or
  // A13 for a visit cancelled after it changes the record, not the status.
  const cancelledLater = encounter.status === 'cancelled' && !applied.includes('admission');
  if (status && !cancelledLater) result.status = status;
  return result;
}
