import type { DynamoDBRecord } from 'aws-lambda';
import { isDeepStrictEqual } from 'node:util';
import type { Encounter } from '../../domain/encounter';
import type { Grievance } from '../../domain/grievances';
import {
  contributionOfDuplicateFlag,
  contributionOfEncounter,
  contributionOfGrievance,
  contributionOfReferral,
  contributionOfTask,
  COUNTED_ENTITY_TYPES,
  type Contribution,
  type CountedEntityType,
  type StayPlace,
} from '../../domain/metrics';
import type { Referral } from '../../domain/referrals';
import type { CareTask } from '../../domain/tasks';
import type { Stores } from '../../store';
import { imagesOf } from '../../stream/images';
import { partOfEntityType } from '../../domain/stay-parts';
import type { DuplicateFlag } from '../../store/order-store';

export interface CountDeps {
  metrics: Pick<Stores['metrics'], 'count'>;
  encounters: Pick<Stores['encounters'], 'get'>;
  /** The facility's IANA time zone (stage config); its local days are the metrics' days. */
  timeZoneOf: (facilityId: string) => string | undefined;
}

type Image = Record<string, unknown> & { pk: string; sk: string; entityType?: string };

/** The record types the metrics count, each with what it contributes given the stay it belongs to. */
const COUNTED: Record<
  Exclude<CountedEntityType, 'Encounter'>,
  (item: Image, stay: StayPlace, timeZone: string | undefined) => Contribution
> = {
  Referral: (item, stay, tz) => contributionOfReferral(item as unknown as Referral, stay, tz),
  Grievance: (item, stay, tz) => contributionOfGrievance(item as unknown as Grievance, stay, tz),
  CareTask: (item, stay, tz) => contributionOfTask(item as unknown as CareTask, stay, tz),
  DuplicateOrderFlag: (item, stay, tz) => contributionOfDuplicateFlag(item as unknown as DuplicateFlag, stay, tz),
};

/**
 * A batch of stored changes, counted: each changed record's contribution as it now stands (its
 * newest image in the batch) replaces the one last counted for it; a removed record contributes
 * nothing. A record of a stay is counted under the stay's facility and unit. Changes come in
 * order per record, so when a record's image before the batch contributes exactly what its newest
 * does (most edits), its counts already stand and nothing is read or written.
 *
 * A stay is counted once, from all its records (the needs assessment dates its evaluation, the
 * follow-up and the survey are part of its discharge's counts), under the encounter record's key:
 * a change of the encounter record or of any part recounts the stay as read now. Images cannot
 * tell what was counted before — a part's image says nothing of the other records as they were —
 * and counting is idempotent (only a difference from what was last counted is written).
 */
export async function countForMetrics(records: DynamoDBRecord[], deps: CountDeps): Promise<void> {
  const changes = new Map<string, Change>();
  for (const record of records) {
    const { oldItem, newItem } = imagesOf<Image>(record);
    const item = newItem ?? oldItem;
    if (isOfStay(item)) {
      const key = { pk: item!.pk, sk: 'ENCOUNTER' };
      changes.set(`${key.pk}\u0000${key.sk}`, { key, stayOf: String(item!.encounterId) });
      continue;
    }
    if (!item?.entityType || !(COUNTED_ENTITY_TYPES as readonly string[]).includes(item.entityType)) continue;
    const id = `${item.pk}\u0000${item.sk}`;
    const seen = changes.get(id);
    if (seen) seen.after = newItem;
    else
      changes.set(id, {
        key: { pk: item.pk, sk: item.sk },
        ...(oldItem ? { before: oldItem } : {}),
        ...(newItem ? { after: newItem } : {}),
      });
  }
  await Promise.all([...changes.values()].map(async (change) => countChange(change.stayOf ? await asStayNow(change, deps) : change, deps)));
}

type Change = { key: { pk: string; sk: string }; before?: Image; after?: Image; stayOf?: string };

const isOfStay = (item: Image | undefined) => item?.entityType === 'Encounter' || partOfEntityType(item?.entityType) !== undefined;

/** The stay as read now, as an image of its encounter record (none when the stay is gone: it counts nothing). */
async function asStayNow(change: Change, deps: CountDeps): Promise<Change> {
  const stay = await deps.encounters.get(change.stayOf!);
  return { key: change.key, ...(stay ? { after: { ...(stay as unknown as Image), ...change.key, entityType: 'Encounter' } } : {}) };
}

async function countChange(
  { key, before, after }: { key: { pk: string; sk: string }; before?: Image; after?: Image },
  deps: CountDeps,
): Promise<void> {
  if (!after) {
    await deps.metrics.count(key, {});
    return;
  }
  const contributionOf = await contributionFor(after, deps);
  if (!contributionOf) return;
  const next = contributionOf(after);
  if (before && isDeepStrictEqual(contributionOf(before), next)) return;
  await deps.metrics.count(key, next);
}

/** How to count an image of this record, or nothing when its stay is gone. */
async function contributionFor(item: Image, deps: CountDeps): Promise<((image: Image) => Contribution) | undefined> {
  if (item.entityType === 'Encounter') {
    const timeZone = deps.timeZoneOf(String(item.facilityId));
    return (image) => contributionOfEncounter(image as unknown as Encounter, timeZone);
  }
  const encounter = typeof item.encounterId === 'string' ? await deps.encounters.get(item.encounterId) : undefined;
  if (!encounter) return undefined;
  const stay = { facilityId: encounter.facilityId, unit: encounter.unit };
  const timeZone = deps.timeZoneOf(encounter.facilityId);
  const contribute = COUNTED[item.entityType as keyof typeof COUNTED];
  return (image) => contribute(image, stay, timeZone);
}
