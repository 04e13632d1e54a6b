import type { Encounter } from '../domain/encounter';
import { followUpShouldRun, planningShouldRun } from '../domain/workflow-liveness';

/**
 * Single-table keys. One table keeps an admission (patient, encounter, idempotency record)
 * writable in one transaction. Every key builder lives here so access patterns are visible
 * in one place:
 *   encounter by id            pk=ENCOUNTER#id            sk=ENCOUNTER
 *   a part of a stay           pk=ENCOUNTER#id            sk=ENCOUNTER#<part> (shared/domain/stay-parts.ts)
 *   the whole stay             pk=ENCOUNTER#id            sk begins_with ENCOUNTER (record + parts)
 *   patient by id              pk=PATIENT#id              sk=PATIENT
 *   patient by identifier      pk=PATIENT_ID#facility#system|value  sk=PATIENT_ID
 *   admit request replay       pk=IDEMPOTENCY#facility#key sk=IDEMPOTENCY
 *   task by id                 pk=TASK#id                 sk=TASK
 *   tasks of an encounter      gsi1pk=ENCOUNTER#id#TASKS  gsi1sk=status#createdAt#taskId
 *   encounters of a patient    gsi1pk=PATIENT#id#ENCOUNTERS gsi1sk=admittedAt#encounterId
 *   encounter by visit number  pk=VISIT#facility#visitNumber sk=VISIT
 *   ADT message (idempotency)  pk=ADT#facility#sendingFacility#controlId sk=ADT
 *   unreadable ADT message     pk=ADT_UNREADABLE#facility#sha256 sk=ADT
 *   ADT messages of a day      gsi1pk=ADT_RECEIVED#facility#YYYY-MM-DD gsi1sk=receivedAt#controlId
 *   audit trail of a record    pk=ENCOUNTER#id | PATIENT#id  sk=AUDIT#at#id
 *   inpatients without a plan  gsi2pk=AWAITING_PLAN#shard gsi2sk=admittedAt#encounterId (sparse)
 *   planned, not yet discharged gsi2pk=PLANNING#shard     gsi2sk=admittedAt#encounterId (sparse)
 *   discharged, follow-up open gsi2pk=FOLLOWING_UP#shard  gsi2sk=admittedAt#encounterId (sparse, on the follow-up part)
 *   open tasks by due time     gsi2pk=TASKS_DUE#shard     gsi2sk=dueAt#taskId (sparse: open, escalatable, not yet escalated)
 *   education of an encounter  pk=ENCOUNTER#id             sk=EDUCATION#itemId
 *   observations of a code     pk=ENCOUNTER#id             sk=OBS#loinc#observedAt#id
 *   alerts of an encounter     pk=ENCOUNTER#id             sk=ALERT#raisedAt#id
 *   care plan, current         pk=ENCOUNTER#id             sk=CAREPLAN
 *   care plan versions         pk=ENCOUNTER#id             sk=CAREPLAN#v000001 …
 *   care team of an encounter  pk=ENCOUNTER#id             sk=CARETEAM#memberId
 *   team messages (in order)   pk=ENCOUNTER#id             sk=MESSAGE#sentAt#messageId
 *   a patient's audit trail    pk=AUDIT#patientId          sk=at#auditId (append-only)
 *   workflow states that ran   pk=ENCOUNTER#id             sk=STEP#execution#state
 *   a patient's orders by group pk=PATIENT#id              sk=ORDER#group#orderedAt#orderId
 *   a patient's allergy list  pk=PATIENT#id              sk=ALLERGIES
 *   latest order of a group    pk=PATIENT#id              sk=ORDER_LATEST#group (race guard)
 *   order by placer number     pk=ORDER_PLACER#facility#placerOrderNumber sk=ORDER_PLACER
 *   refused duplicate order    pk=DUPLICATE_FLAG#facility#placerOrderNumber sk=DUPLICATE_FLAG
 *   transition record of a stay pk=ENCOUNTER#id            sk=TRANSITION_RECORD
 *   referrals of a stay        pk=ENCOUNTER#id             sk=REFERRAL#referralId
 *   the accepted placement     pk=ENCOUNTER#id             sk=PLACEMENT
 *   transfers of a stay        pk=ENCOUNTER#id             sk=TRANSFER#transferId
 *   slot by id                 pk=SLOT#slotId              sk=SLOT
 *   a practitioner's slots     gsi1pk=SCHEDULE#facility#practitionerId gsi1sk=start#slotId
 *   appointment by id          pk=APPOINTMENT#id           sk=APPOINTMENT
 *   a patient's appointments   gsi1pk=PATIENT#id#APPOINTMENTS gsi1sk=start#appointmentId
 *   grievances of a stay       pk=ENCOUNTER#id             sk=GRIEVANCE#grievanceId
 *   a care manager's load      pk=CASELOAD#facility#careManagerId sk=COUNT
 *   a care manager's stays     pk=CASELOAD#facility#careManagerId sk=ENCOUNTER#encounterId
 *   top-box counts per unit and month pk=FACILITY#facility sk=SATISFACTION#unit#YYYY-MM
 *   a facility's grievances    gsi1pk=FACILITY#facility#GRIEVANCES gsi1sk=receivedAt#grievanceId
 *   metric counters of a day   pk=METRICS#facility        sk=unit#YYYY-MM-DD (unit * = all units)
 *   what a record last counted pk=<record's pk>           sk=METRICS#<record's sk>
 */
export const GSI1 = 'gsi1';
/** Sparse: only encounters still waiting for a discharge plan carry its keys. */
export const GSI2 = 'gsi2';
/** The awaiting-plan index is spread over a few partitions so no one key runs hot. */
export const AWAITING_PLAN_SHARDS = 4;

export const keys = {
  encounter: (encounterId: string) => ({ pk: `ENCOUNTER#${encounterId}`, sk: 'ENCOUNTER' }),
  /** Sorts right after the encounter record, so one Query (sk begins_with ENCOUNTER) reads the whole stay. */
  stayPart: (encounterId: string, part: string) => ({ pk: `ENCOUNTER#${encounterId}`, sk: `ENCOUNTER#${part}` }),
  /** The sort-key prefix the encounter record and its parts share, and nothing else in the partition. */
  stayPrefix: 'ENCOUNTER',
  patient: (patientId: string) => ({ pk: `PATIENT#${patientId}`, sk: 'PATIENT' }),
  // Parts are URI-encoded so no value can contain the separators and alias another key.
  patientIdentifier: (facilityId: string, system: string, value: string) => ({
    pk: `PATIENT_ID#${encodeURIComponent(facilityId)}#${encodeURIComponent(system)}|${encodeURIComponent(value)}`,
    sk: 'PATIENT_ID',
  }),
  idempotency: (facilityId: string, key: string) => ({
    pk: `IDEMPOTENCY#${encodeURIComponent(facilityId)}#${key}`,
    sk: 'IDEMPOTENCY',
  }),
  task: (taskId: string) => ({ pk: `TASK#${taskId}`, sk: 'TASK' }),
  tasksOfEncounter: (encounterId: string) => `ENCOUNTER#${encounterId}#TASKS`,
  encountersOfPatient: (patientId: string) => `PATIENT#${patientId}#ENCOUNTERS`,
  visit: (facilityId: string, visitNumber: string) => ({
    pk: `VISIT#${encodeURIComponent(facilityId)}#${encodeURIComponent(visitNumber)}`,
    sk: 'VISIT',
  }),
  adtMessage: (facilityId: string, sendingFacility: string, controlId: string) => ({
    pk: `ADT#${encodeURIComponent(facilityId)}#${encodeURIComponent(sendingFacility)}#${encodeURIComponent(controlId)}`,
    sk: 'ADT',
  }),
  adtReceivedOn: (facilityId: string, day: string) => `ADT_RECEIVED#${encodeURIComponent(facilityId)}#${day}`,
  adtUnreadable: (facilityId: string, sha256: string) => ({ pk: `ADT_UNREADABLE#${encodeURIComponent(facilityId)}#${sha256}`, sk: 'ADT' }),
  audit: (owner: { pk: string }, at: string, id: string) => ({ pk: owner.pk, sk: `AUDIT#${at}#${id}` }),
  educationItem: (encounterId: string, itemId: string) => ({ pk: `ENCOUNTER#${encounterId}`, sk: `EDUCATION#${itemId}` }),
  observation: (encounterId: string, code: string, observedAt: string, id: string) => ({
    pk: `ENCOUNTER#${encounterId}`,
    sk: `OBS#${code}#${observedAt}#${id}`,
  }),
  alert: (encounterId: string, raisedAt: string, id: string) => ({ pk: `ENCOUNTER#${encounterId}`, sk: `ALERT#${raisedAt}#${id}` }),
  carePlan: (encounterId: string) => ({ pk: `ENCOUNTER#${encounterId}`, sk: 'CAREPLAN' }),
  carePlanVersion: (encounterId: string, version: number) => ({
    pk: `ENCOUNTER#${encounterId}`,
    sk: `CAREPLAN#v${String(version).padStart(6, '0')}`,
  }),
  careTeamMember: (encounterId: string, memberId: string) => ({ pk: `ENCOUNTER#${encounterId}`, sk: `CARETEAM#${memberId}` }),
  teamMessage: (encounterId: string, sentAt: string, messageId: string) => ({
    pk: `ENCOUNTER#${encounterId}`,
    sk: `MESSAGE#${sentAt}#${messageId}`,
  }),
  auditTrail: (patientId: string) => ({ pk: `AUDIT#${patientId}` }),
  auditRecord: (patientId: string, at: string, auditId: string) => ({ pk: `AUDIT#${patientId}`, sk: `${at}#${auditId}` }),
  workflowStepRun: (encounterId: string, execution: string, state: string) => ({
    pk: `ENCOUNTER#${encounterId}`,
    sk: `STEP#${execution}#${state}`,
  }),
  order: (patientId: string, group: string, orderedAt: string, orderId: string) => ({
    pk: `PATIENT#${patientId}`,
    sk: `ORDER#${group}#${orderedAt}#${orderId}`,
  }),
  orderGuard: (patientId: string, group: string) => ({ pk: `PATIENT#${patientId}`, sk: `ORDER_LATEST#${group}` }),
  allergyList: (patientId: string) => ({ pk: `PATIENT#${patientId}`, sk: 'ALLERGIES' }),
  orderPlacer: (facilityId: string, placerOrderNumber: string) => ({
    pk: `ORDER_PLACER#${encodeURIComponent(facilityId)}#${encodeURIComponent(placerOrderNumber)}`,
    sk: 'ORDER_PLACER',
  }),
  duplicateFlag: (facilityId: string, placerOrderNumber: string) => ({
    pk: `DUPLICATE_FLAG#${encodeURIComponent(facilityId)}#${encodeURIComponent(placerOrderNumber)}`,
    sk: 'DUPLICATE_FLAG',
  }),
  metricsDay: (facilityId: string, unit: string, day: string) => ({
    pk: `METRICS#${encodeURIComponent(facilityId)}`,
    sk: `${encodeURIComponent(unit)}#${day}`,
  }),
  metricsCounted: (record: { pk: string; sk: string }) => ({ pk: record.pk, sk: `METRICS#${record.sk}` }),
  /** Version 1 keeps the key the single record always had (no migration); later ones sort after it. */
  transitionRecord: (encounterId: string, version = 1) => ({
    pk: `ENCOUNTER#${encounterId}`,
    sk: version === 1 ? 'TRANSITION_RECORD' : `TRANSITION_RECORD#V${String(version).padStart(4, '0')}`,
  }),
  referral: (encounterId: string, referralId: string) => ({ pk: `ENCOUNTER#${encounterId}`, sk: `REFERRAL#${referralId}` }),
  placement: (encounterId: string) => ({ pk: `ENCOUNTER#${encounterId}`, sk: 'PLACEMENT' }),
  grievance: (encounterId: string, grievanceId: string) => ({ pk: `ENCOUNTER#${encounterId}`, sk: `GRIEVANCE#${grievanceId}` }),
  grievancesOf: (facilityId: string) => `FACILITY#${encodeURIComponent(facilityId)}#GRIEVANCES`,
  satisfaction: (facilityId: string, unit: string, month: string) => ({
    pk: `FACILITY#${encodeURIComponent(facilityId)}`,
    sk: `SATISFACTION#${encodeURIComponent(unit)}#${month}`,
  }),
  caseload: (facilityId: string, careManagerId: string) =>
    `CASELOAD#${encodeURIComponent(facilityId)}#${encodeURIComponent(careManagerId)}`,
  slot: (slotId: string) => ({ pk: `SLOT#${slotId}`, sk: 'SLOT' }),
  scheduleOf: (facilityId: string, practitionerId: string) =>
    `SCHEDULE#${encodeURIComponent(facilityId)}#${encodeURIComponent(practitionerId)}`,
  appointment: (appointmentId: string) => ({ pk: `APPOINTMENT#${appointmentId}`, sk: 'APPOINTMENT' }),
  appointmentsOfPatient: (patientId: string) => `PATIENT#${patientId}#APPOINTMENTS`,
  transfer: (encounterId: string, transferId: string) => ({ pk: `ENCOUNTER#${encounterId}`, sk: `TRANSFER#${transferId}` }),
  taskSort: (status: string, createdAt: string, taskId: string) => `${status}#${createdAt}#${taskId}`,
};

/** Attributes that are storage plumbing, never part of a domain object. */
export const STORAGE_ATTRIBUTES = [
  'pk',
  'sk',
  'gsi1pk',
  'gsi1sk',
  'gsi2pk',
  'gsi2sk',
  'entityType',
  'taskToken',
  'expiresAt',
  'lastChange',
] as const;

export function stripStorage<T>(item: Record<string, unknown>): T {
  const copy: Record<string, unknown> = { ...item };
  for (const attribute of STORAGE_ATTRIBUTES) delete copy[attribute];
  return copy as T;
}

export const awaitingPlanKey = (shard: number) => `AWAITING_PLAN#${shard}`;
export const tasksDueKey = (shard: number) => `TASKS_DUE#${shard}`;
export const planningKey = (shard: number) => `PLANNING#${shard}`;
export const followingUpKey = (shard: number) => `FOLLOWING_UP#${shard}`;
/** Spreads an id over the shards of a sparse index, so no one partition runs hot. */
export const shardOf = (id: string) => parseInt(id.replace(/[^0-9a-f]/gi, '').slice(-4) || '0', 16) % AWAITING_PLAN_SHARDS;

/** Whether an encounter belongs in the awaiting-plan index (the daily sweep reads it). */
export function awaitsPlan(encounter: Pick<Encounter, 'class' | 'status' | 'dischargePlan'>): boolean {
  return (
    (encounter.class === 'inpatient' || encounter.class === 'observation') &&
    !encounter.dischargePlan &&
    !['discharged', 'cancelled'].includes(encounter.status)
  );
}

/**
 * The index attributes an encounter record carries: its patient's encounter list, and — only
 * while it awaits a discharge plan — the sparse awaiting-plan index; once planned, and until
 * discharged or cancelled, the same index's planning partitions. `undefined` values mean
 * "remove" to the versioned update, so every write keeps the indexes in step. (The
 * following-up partitions are the follow-up part's: followUpIndex.)
 */
export function encounterIndex(encounter: Encounter) {
  const shard = shardOf(encounter.encounterId);
  const partition = awaitsPlan(encounter) ? awaitingPlanKey(shard) : planningShouldRun(encounter) ? planningKey(shard) : undefined;
  return {
    gsi1pk: keys.encountersOfPatient(encounter.patientId),
    gsi1sk: `${encounter.admittedAt}#${encounter.encounterId}`,
    gsi2pk: partition,
    gsi2sk: partition ? `${encounter.admittedAt}#${encounter.encounterId}` : undefined,
  };
}

/**
 * The follow-up part's index attributes: once discharged, while the TCM follow-up is open, the
 * following-up partitions (with the encounter's awaiting-plan and planning ones, every stay whose
 * workflow should run, for the liveness check; an entry left by a later status change only asks
 * the check to look, and it decides from the stay).
 */
export function followUpIndex(stay: Encounter) {
  const partition = followUpShouldRun(stay) ? followingUpKey(shardOf(stay.encounterId)) : undefined;
  return { gsi2pk: partition, gsi2sk: partition ? `${stay.admittedAt}#${stay.encounterId}` : undefined };
}
