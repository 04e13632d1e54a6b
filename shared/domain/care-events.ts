import type { Encounter } from './encounter';
import { currentRiskTier, type RiskTier } from './risk/encounter-risk';

/**
 * Changes the care team must hear about, published for notifiers (pager, inbox, EHR message).
 * Details hold ids and coded values only: a notifier reads the record through the API.
 */
export const CARE_EVENT_TYPES = {
  alertRaised: 'Alert raised',
  carePlanChanged: 'Care plan changed',
  riskTierChanged: 'Readmission risk tier changed',
  dischargeDateChanged: 'Discharge date changed',
  transitionRecordReady: 'Transition record ready',
  transitionRecordRetracted: 'Transition record retracted',
  readmission: 'Readmitted within 30 days',
} as const;
export type CareEventType = (typeof CARE_EVENT_TYPES)[keyof typeof CARE_EVENT_TYPES];

export const CARE_EVENT_SOURCE = 'carepath.care-record';

export interface CareEvent {
  detailType: CareEventType;
  detail: {
    /** Stable per change, so a notifier can drop the repeat of an at-least-once delivery. */
    eventId: string;
    facilityId: string;
    encounterId: string;
    patientId?: string;
    [key: string]: string | number | null | undefined;
  };
}

type Image = Record<string, unknown>;

/** Both images are judged at one instant, so only a real change of tier is announced. */
const tierOf = (encounter: Encounter, at: Date, timeZone: string): RiskTier | undefined => currentRiskTier(encounter, at, timeZone);

/** When the patient leaves (or is expected to): the discharge time once recorded, else the pending one. */
const dischargeDateOf = (encounter: Encounter) => encounter.discharge?.dischargedAt ?? encounter.pendingDischarge?.expectedAt;

/** Writes of a one-off data migration (infra/migrations) are stamped by an actor named `migration <name>`. */
export const DATA_MIGRATION_ACTOR_PREFIX = 'migration ';
const isDataMigration = (stamp: unknown) =>
  typeof stamp === 'object' &&
  stamp !== null &&
  (stamp as { role?: unknown }).role === 'system' &&
  String((stamp as { who?: unknown }).who ?? '').startsWith(DATA_MIGRATION_ACTOR_PREFIX);

/** The care events one stored change announces (usually none); `timeZone` is the facility's (lengths of stay). */
export function careEventsOf(
  change: {
    id: string;
    at: string;
    action: 'create' | 'update' | 'delete';
    oldItem?: Image;
    newItem?: Image;
    /** The encounter's patient and facility, for items that name only their encounter. */
    owner: { patientId: string; facilityId: string };
  },
  timeZone = 'UTC',
): CareEvent[] {
  const item = change.newItem;
  if (!item || change.action === 'delete' || typeof item.encounterId !== 'string') return [];
  // A data migration moves what is recorded between records; nothing happened to the patient.
  if (isDataMigration(item.lastChange)) return [];
  const base = {
    eventId: change.id,
    facilityId: change.owner.facilityId,
    encounterId: item.encounterId,
    patientId: change.owner.patientId,
  };
  switch (item.entityType) {
    case 'Alert':
      return change.action === 'create'
        ? [
            {
              detailType: CARE_EVENT_TYPES.alertRaised,
              detail: { ...base, alertId: String(item.alertId), code: String((item.breach as { code?: string } | undefined)?.code ?? '') },
            },
          ]
        : [];
    case 'TransitionRecord': {
      // A sender (Direct, FHIR push, HIE) picks it up from here and reads it through the API:
      // each new version, and each retraction (whose notices it delivers to the same recipients).
      const detail = {
        ...base,
        version: Number(item.version ?? 1),
        recipients: Array.isArray(item.recipients) ? item.recipients.length : 0,
      };
      if (change.action === 'create') return [{ detailType: CARE_EVENT_TYPES.transitionRecordReady, detail }];
      return item.status === 'retracted' && change.oldItem?.status !== 'retracted'
        ? [{ detailType: CARE_EVENT_TYPES.transitionRecordRetracted, detail }]
        : [];
    }
    case 'CarePlan':
      return [{ detailType: CARE_EVENT_TYPES.carePlanChanged, detail: { ...base, version: Number(item.version) } }];
    case 'Encounter': {
      const after = item as unknown as Encounter;
      const before = change.oldItem as unknown as Encounter | undefined;
      const at = new Date(change.at);
      const events: CareEvent[] = [];
      const [tierBefore, tierAfter] = [before ? tierOf(before, at, timeZone) : undefined, tierOf(after, at, timeZone)];
      if (tierAfter !== tierBefore) {
        events.push({ detailType: CARE_EVENT_TYPES.riskTierChanged, detail: { ...base, from: tierBefore ?? null, to: tierAfter ?? null } });
      }
      if (after.readmission && !after.readmission.planned && !before?.readmission) {
        events.push({
          detailType: CARE_EVENT_TYPES.readmission,
          detail: {
            ...base,
            indexEncounterId: after.readmission.indexEncounterId,
            daysSinceDischarge: after.readmission.daysSinceDischarge,
          },
        });
      }
      const [dateBefore, dateAfter] = [before ? dischargeDateOf(before) : undefined, dischargeDateOf(after)];
      if (dateAfter !== dateBefore) {
        events.push({
          detailType: CARE_EVENT_TYPES.dischargeDateChanged,
          detail: { ...base, from: dateBefore ?? null, to: dateAfter ?? null },
        });
      }
      return events;
    }
    default:
      return [];
  }
}
