import type { Encounter } from './encounter';

/**
 * The parts of a stay that people document separately, each stored as its own record with its
 * own version (issue 18): a care manager saving goals never races a pharmacist reconciling
 * medications. The encounter itself keeps the ADT facts, the status and what the workflow
 * decides (screening, plan, readiness, discharge).
 *
 * `path` is the sub-resource under /v1/encounters/{id}/ whose GET gives the part's ETag and
 * whose writes take it; `entityType` names the stored record (audit trail, stream); `fields`
 * are the encounter fields the part holds (a stay read joins them back in).
 */
export const STAY_PARTS = {
  medicationReconciliation: {
    path: 'medication-reconciliation',
    entityType: 'MedicationReconciliation',
    fields: ['medicationReconciliation'],
  },
  needsAssessment: { path: 'needs-assessment', entityType: 'NeedsAssessment', fields: ['needsAssessment'] },
  goalsAndPreferences: { path: 'goals-and-preferences', entityType: 'GoalsAndPreferences', fields: ['goalsAndPreferences'] },
  goalsOfCare: { path: 'goals-of-care', entityType: 'GoalsOfCare', fields: ['goalsOfCare'] },
  patientChoice: { path: 'patient-choice', entityType: 'PatientChoice', fields: ['choiceList', 'patientChoice'] },
  serviceArrangements: { path: 'service-arrangements', entityType: 'ServiceArrangements', fields: ['serviceArrangements'] },
  risk: { path: 'risk', entityType: 'RiskInputs', fields: ['riskInputs', 'riskOverride'] },
  followUp: { path: 'follow-up', entityType: 'FollowUp', fields: ['followUp'] },
  satisfactionSurvey: { path: 'satisfaction-survey', entityType: 'SatisfactionSurvey', fields: ['satisfactionSurvey'] },
} as const satisfies Record<string, { path: string; entityType: string; fields: ReadonlyArray<keyof Encounter> }>;

export type StayPart = keyof typeof STAY_PARTS;
export const STAY_PART_NAMES = Object.keys(STAY_PARTS) as StayPart[];
export type StayPartField = (typeof STAY_PARTS)[StayPart]['fields'][number];
export const STAY_PART_ENTITY_TYPES: string[] = STAY_PART_NAMES.map((part) => STAY_PARTS[part].entityType);

const PART_OF_FIELD = new Map<string, StayPart>(
  STAY_PART_NAMES.flatMap((part) => STAY_PARTS[part].fields.map((field) => [field, part] as const)),
);
const PART_OF_ENTITY_TYPE = new Map<string, StayPart>(STAY_PART_NAMES.map((part) => [STAY_PARTS[part].entityType, part]));
const PART_OF_PATH = new Map<string, StayPart>(STAY_PART_NAMES.map((part) => [STAY_PARTS[part].path, part]));

/** The part an encounter field belongs to, or undefined when the encounter record itself holds it. */
export const partOfField = (field: string): StayPart | undefined => PART_OF_FIELD.get(field);
export const partOfEntityType = (entityType: unknown): StayPart | undefined =>
  typeof entityType === 'string' ? PART_OF_ENTITY_TYPE.get(entityType) : undefined;
export const partOfPath = (path: string): StayPart | undefined => PART_OF_PATH.get(path);

/** The version of each part a stay read found; a part never written is version 0 (ETag "0"). */
export type PartVersions = Partial<Record<StayPart, number>>;
export const partVersion = (stay: Pick<Encounter, 'partVersions'>, part: StayPart): number => stay.partVersions?.[part] ?? 0;

/** A change of a stay's fields, split by the record that holds each: the encounter's own, and each part's. */
export function splitByRecord<T extends object>(fields: T): { own: Partial<T>; parts: Map<StayPart, Partial<T>> } {
  const own: Record<string, unknown> = {};
  const parts = new Map<StayPart, Record<string, unknown>>();
  for (const [field, value] of Object.entries(fields)) {
    const part = partOfField(field);
    if (!part) {
      own[field] = value;
      continue;
    }
    parts.set(part, { ...parts.get(part), [field]: value });
  }
  return { own: own as Partial<T>, parts: parts as Map<StayPart, Partial<T>> };
}

/** The fields of `record` that belong to `part` (what its record stores, what its GET shows). */
export function fieldsOfPart(part: StayPart, record: Record<string, unknown>): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const field of STAY_PARTS[part].fields) if (record[field] !== undefined) fields[field] = record[field];
  return fields;
}

/** An encounter with none of the parts' fields: what the encounter record itself holds. */
export function withoutParts<T extends Record<string, unknown>>(stay: T): T {
  const own = { ...stay };
  for (const field of PART_OF_FIELD.keys()) delete own[field];
  delete own.partVersions;
  return own;
}

/** Every part's fields of a stay (what `withoutParts` leaves out). */
export function partFieldsOf(stay: Record<string, unknown>): Record<string, unknown> {
  return Object.assign({}, ...STAY_PART_NAMES.map((part) => fieldsOfPart(part, stay)));
}

/**
 * A stored image of the encounter record or of one of its parts, as an image of the whole stay
 * (the encounter record's entity type and keys): what rules over the whole stay — risk tier
 * events, the stay's counts — judge. `stay` is the stay as read now, for the records the image
 * is not of. Undefined for an image of anything else.
 */
export function asStayImage<T extends Record<string, unknown>>(image: T, stay: Record<string, unknown> | undefined): T | undefined {
  if (image.entityType === 'Encounter') return { ...image, ...(stay ? partFieldsOf(stay) : {}) };
  const part = partOfEntityType(image.entityType);
  if (!part || !stay) return undefined;
  // Only this part's fields come from the image: the other parts as they stand stay in.
  const { partVersions: _versions, ...others } = withPartFrom(stay, part, image);
  return { ...others, pk: image.pk, sk: 'ENCOUNTER', entityType: 'Encounter' } as unknown as T;
}

/**
 * `stay` with `part`'s fields exactly as `record` holds them: a field the record lacks is gone,
 * not left over from the stay (a part's record is the whole truth of its fields).
 */
export function withPartFrom(stay: Record<string, unknown>, part: StayPart, record: Record<string, unknown>): Record<string, unknown> {
  const next = { ...stay };
  for (const field of STAY_PARTS[part].fields) delete next[field];
  return Object.assign(next, fieldsOfPart(part, record));
}
