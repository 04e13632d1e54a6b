import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { Encounter } from '../../shared/domain/encounter';
import type { Grievance } from '../../shared/domain/grievances';
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
} from '../../shared/domain/metrics';
import type { Referral } from '../../shared/domain/referrals';
import type { CareTask } from '../../shared/domain/tasks';
import type { Stores } from '../../shared/store';
import { fromItem } from '../../shared/store/dynamo';
import type { DuplicateFlag } from '../../shared/store/order-store';

export interface CountDeps {
  metrics: Pick<Stores['metrics'], 'count'>;
  encounters: Pick<Stores['encounters'], 'get'>;
  /** The facility's IANA time zone (stage config); its local days are the metrics' days. */
  timeZoneOf: (facilityId: string) => string | undefined;
}

type Image = Record<string, unknown> & { pk: string; sk: string; entityType?: string };

/** The record types the metrics count, each with what it contributes given the stay it belongs to. */
const COUNTED: Record<Exclude<CountedEntityType, 'Encounter'>, (item: Image, stay: StayPlace, timeZone: string | undefined) => Contribution> = {
  Referral: (item, stay, tz) => contributionOfReferral(item as unknown as Referral, stay, tz),
  Grievance: (item, stay, tz) => contributionOfGrievance(item as unknown as Grievance, stay, tz),
  CareTask: (item, stay, tz) => contributionOfTask(item as unknown as CareTask, stay, tz),
  DuplicateOrderFlag: (item, stay, tz) => contributionOfDuplicateFlag(item as unknown as DuplicateFlag, stay, tz),
};

/**
 * One stored change, counted: the record's contribution as it now stands replaces the one last
 * counted for it (a removed record contributes nothing). A record of a stay is counted under the
 * stay's facility and its unit at the time of the change.
 */
export async function countForMetrics(record: DynamoDBRecord, deps: CountDeps): Promise<void> {
  const image = (raw: unknown) => (raw ? fromItem<Image>(raw as Record<string, AttributeValue>) : undefined);
  const [oldItem, newItem] = [image(record.dynamodb?.OldImage), image(record.dynamodb?.NewImage)];
  const item = newItem ?? oldItem;
  if (!item?.entityType || !(COUNTED_ENTITY_TYPES as readonly string[]).includes(item.entityType)) return;
  const key = { pk: item.pk, sk: item.sk };
  if (!newItem) {
    await deps.metrics.count(key, {});
    return;
  }
  if (newItem.entityType === 'Encounter') {
    const encounter = newItem as unknown as Encounter;
    await deps.metrics.count(key, contributionOfEncounter(encounter, deps.timeZoneOf(encounter.facilityId)));
    return;
  }
  const encounter = typeof newItem.encounterId === 'string' ? await deps.encounters.get(newItem.encounterId) : undefined;
  if (!encounter) return;
  const stay = { facilityId: encounter.facilityId, unit: encounter.unit };
  await deps.metrics.count(key, COUNTED[newItem.entityType as keyof typeof COUNTED](newItem, stay, deps.timeZoneOf(encounter.facilityId)));
}
