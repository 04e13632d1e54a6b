import { STAY_PART_ENTITY_TYPES } from './stay-parts';
import { createHash } from 'node:crypto';

/**
 * Who made a change: a hospital system's client (its token), a workflow execution, or the
 * platform itself. Ids and roles only, never a person's name or a patient's data.
 */
export interface Actor {
  /** Client id, execution name, or a platform component ("dynamodb-ttl"). */
  who: string;
  /** integration-client, workflow, system (people's roles come with user tokens). */
  role: string;
  facilityId?: string;
  /** The request id or the workflow state the change came through. */
  via?: string;
}

/** The stamp every write carries (`lastChange`), so the audit trail knows who changed what. */
export interface ChangeStamp extends Actor {
  /** Unique per write: an update that carries the previous write's stamp was not stamped. */
  changeId: string;
  at: string;
}

export const AUDIT_ACTIONS = ['create', 'update', 'delete', 'workflow-step'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** A Lambda state that ran for an encounter (recorded once per execution and state). */
export interface WorkflowStepRun {
  encounterId: string;
  execution: string;
  state: string;
  at: string;
}

/** One immutable line of a patient's audit trail (FHIR AuditEvent in spirit). */
export interface AuditRecord {
  /** Stable per change (the stream record's id, or execution + state): a retry writes it once. */
  auditId: string;
  patientId: string;
  facilityId: string;
  at: string;
  action: AuditAction;
  entity: { type: string; id: string };
  encounterId?: string;
  version?: number;
  /** SHA-256 of the record as written (or as it was, for a delete): proves what changed without holding it. */
  changeHash?: string;
  actor: Actor;
  /**
   * For an ADT message's line: its control id (MSH-10), event (A03 …), event time and what it did
   * (`note`, e.g. "recorded in history only" for a late message). Never the message text (PHI).
   */
  adt?: AdtAuditFacts;
}

export interface AdtAuditFacts {
  controlId: string;
  event: string;
  eventTime?: string;
  applied?: string[];
  stale?: string[];
  note?: string;
}

/**
 * The records people and workflows change, with the attribute naming each. Everything else in
 * the table is plumbing (identifier and visit pointers, idempotency records, the raw ADT log
 * with its own history, the audit trail itself, care-plan history copies of the audited plan).
 */
const AUDITED: Record<string, string> = {
  Patient: 'patientId',
  Encounter: 'encounterId',
  CareTask: 'taskId',
  CarePlan: 'encounterId',
  CareTeamMember: 'memberId',
  TeamMessage: 'messageId',
  EducationItem: 'itemId',
  Observation: 'observationId',
  Alert: 'alertId',
  Order: 'orderId',
  AllergyList: 'patientId',
  TransitionRecord: 'encounterId',
  Referral: 'referralId',
  Transfer: 'transferId',
  Appointment: 'appointmentId',
  Grievance: 'grievanceId',
  WorkflowStepRun: 'state',
  // One per ADT message applied to a patient or stay (functions/receive-adt): what the feed did.
  AdtEvent: 'entryId',
  // The separately versioned parts of a stay (goals, medication reconciliation …), named by their stay.
  ...Object.fromEntries(STAY_PART_ENTITY_TYPES.map((entityType) => [entityType, 'encounterId'])),
};

export const AUDITED_ENTITY_TYPES = Object.keys(AUDITED);

export interface AuditedEntity {
  type: string;
  id: string;
  patientId?: string;
  encounterId?: string;
  facilityId?: string;
}

/** What an item is, for the audit trail, or undefined when it is plumbing. */
export function auditedEntity(item: Record<string, unknown>): AuditedEntity | undefined {
  const type = typeof item.entityType === 'string' ? item.entityType : undefined;
  const idAttribute = type ? AUDITED[type] : undefined;
  if (!type || !idAttribute || typeof item[idAttribute] !== 'string') return undefined;
  const text = (name: string) => (typeof item[name] === 'string' ? (item[name] as string) : undefined);
  return {
    type,
    id: item[idAttribute] as string,
    ...optional('patientId', text('patientId')),
    ...optional('encounterId', text('encounterId')),
    ...optional('facilityId', text('facilityId')),
  };
}

const optional = <K extends string, V>(key: K, value: V | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, V>));

/** JSON with keys sorted at every level, so the same record always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export const changeHash = (item: Record<string, unknown>) => createHash('sha256').update(canonicalJson(item)).digest('hex');

/** Who made the change an item's images show; a write without a stamp of its own is the workflow's or the platform's. */
export function actorOfChange(
  action: Exclude<AuditAction, 'workflow-step'>,
  oldItem: Record<string, unknown> | undefined,
  newItem: Record<string, unknown> | undefined,
): Actor {
  if (action === 'delete') return { who: 'dynamodb-ttl', role: 'system' };
  const stamp = newItem?.lastChange as ChangeStamp | undefined;
  const previous = oldItem?.lastChange as ChangeStamp | undefined;
  // Step Functions' direct DynamoDB tasks write without a stamp, leaving the previous one in place.
  if (!stamp || (previous && previous.changeId === stamp.changeId)) return { who: 'step-functions', role: 'workflow' };
  const { changeId: _changeId, at: _at, ...actor } = stamp;
  return actor;
}

const strings = (value: unknown): string[] | undefined =>
  Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;

/** The facts of an ADT entry a trail may show: a named, short list (minimum necessary), nothing else of `detail`. */
export function adtAuditFacts(item: Record<string, unknown>): AdtAuditFacts | undefined {
  const detail = (item.detail ?? {}) as Record<string, unknown>;
  const controlId = typeof detail.controlId === 'string' ? detail.controlId : undefined;
  const event =
    typeof detail.event === 'string' ? detail.event : typeof item.action === 'string' ? item.action.replace(/^adt\./, '') : undefined;
  if (!controlId || !event) return undefined;
  const applied = strings(detail.applied);
  const stale = strings(detail.stale);
  return {
    controlId,
    event,
    ...optional('eventTime', typeof detail.eventTime === 'string' ? detail.eventTime : undefined),
    ...(applied ? { applied } : {}),
    ...(stale && stale.length > 0 ? { stale } : {}),
    ...optional('note', typeof detail.note === 'string' ? detail.note : undefined),
  };
}

/** The audit line for one stored change, or undefined when the item is plumbing. */
export function auditOfChange(change: {
  id: string;
  at: string;
  action: Exclude<AuditAction, 'workflow-step'>;
  oldItem?: Record<string, unknown>;
  newItem?: Record<string, unknown>;
  /** Patient and facility of the encounter, for items that name only their encounter. */
  owner?: { patientId: string; facilityId: string };
}): AuditRecord | undefined {
  const item = change.newItem ?? change.oldItem;
  const entity = item ? auditedEntity(item) : undefined;
  if (!item || !entity) return undefined;
  const patientId = entity.patientId ?? change.owner?.patientId;
  const facilityId = entity.facilityId ?? change.owner?.facilityId;
  if (!patientId || !facilityId) return undefined;
  const { lastChange: _stamp, ...content } = item;
  if (entity.type === 'AdtEvent') {
    const adt = adtAuditFacts(item);
    if (!adt) return undefined;
    return {
      auditId: change.id,
      patientId,
      facilityId,
      at: change.at,
      action: change.action,
      entity: { type: 'AdtMessage', id: adt.controlId },
      ...optional('encounterId', entity.encounterId),
      changeHash: changeHash(content),
      actor: actorOfChange(change.action, change.oldItem, change.newItem),
      adt,
    };
  }
  return {
    auditId: change.id,
    patientId,
    facilityId,
    at: change.at,
    action: entity.type === 'WorkflowStepRun' ? 'workflow-step' : change.action,
    entity: { type: entity.type === 'WorkflowStepRun' ? 'WorkflowStep' : entity.type, id: entity.id },
    ...optional('encounterId', entity.encounterId),
    ...optional('version', typeof item.version === 'number' ? item.version : undefined),
    changeHash: changeHash(content),
    actor: actorOfChange(change.action, change.oldItem, change.newItem),
  };
}
