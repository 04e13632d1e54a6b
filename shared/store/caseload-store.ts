import { GetItemCommand, type DynamoDBClient, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { CaseloadEntry, RosterEntry } from '../domain/caseloads';
import type { Encounter } from '../domain/encounter';
import { ConflictError } from '../domain/errors';
import { fromItem, queryByPrefix, toItem, transactWithRetry } from './dynamo';
import { versionedUpdate } from './encounter-store';
import { keys } from './keys';

/**
 * Caseloads: per care manager a load counter and one item per stay carried, changed together
 * with the encounter's `careManagerId` in one transaction, so the count always matches the stays
 * and a care manager never goes over their maximum, however many admissions arrive at once.
 */
export function caseloadStore(client: DynamoDBClient, tableName: string) {
  const counterKey = (facilityId: string, careManagerId: string) => ({ pk: keys.caseload(facilityId, careManagerId), sk: 'COUNT' });
  const stayKey = (facilityId: string, careManagerId: string, encounterId: string) => ({
    pk: keys.caseload(facilityId, careManagerId),
    sk: `ENCOUNTER#${encounterId}`,
  });

  const take = (facilityId: string, cm: RosterEntry, entry: CaseloadEntry): TransactWriteItem[] => [
    {
      Update: {
        TableName: tableName,
        Key: toItem(counterKey(facilityId, cm.careManagerId)),
        UpdateExpression: 'SET entityType = :type ADD #count :one',
        ConditionExpression: 'attribute_not_exists(#count) OR #count < :max',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: toItem({ ':one': 1, ':max': cm.maxCaseload, ':type': 'CaseloadCount' }),
      },
    },
    {
      Put: {
        TableName: tableName,
        Item: toItem({
          ...stayKey(facilityId, cm.careManagerId, entry.encounterId),
          entityType: 'CaseloadStay',
          careManagerId: cm.careManagerId,
          ...entry,
        }),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
  const release = (facilityId: string, careManagerId: string, encounterId: string): TransactWriteItem[] => [
    {
      Update: {
        TableName: tableName,
        Key: toItem(counterKey(facilityId, careManagerId)),
        UpdateExpression: 'ADD #count :minus',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: toItem({ ':minus': -1 }),
      },
    },
    {
      Delete: {
        TableName: tableName,
        Key: toItem(stayKey(facilityId, careManagerId, encounterId)),
        ConditionExpression: 'attribute_exists(pk)',
      },
    },
  ];

  const transact = (items: TransactWriteItem[], refusal: (failed: number[]) => Error) => transactWithRetry(client, items, refusal);

  async function load(facilityId: string, careManagerId: string): Promise<number> {
    const out = await client.send(
      new GetItemCommand({ TableName: tableName, Key: toItem(counterKey(facilityId, careManagerId)), ConsistentRead: true }),
    );
    return out.Item ? Number(fromItem<{ count?: number }>(out.Item).count ?? 0) : 0;
  }

  /**
   * Assigns the stay to a care manager: refused (ConflictError) when they are full; false when
   * the stay already has one. Only `careManagerId` is set, without a version bump: the
   * workflow's and people's edits of the same stay in its first seconds are not disturbed.
   */
  async function assign(encounter: Encounter, cm: RosterEntry, now: Date): Promise<boolean> {
    const setCareManager: TransactWriteItem = {
      Update: {
        TableName: tableName,
        Key: toItem(keys.encounter(encounter.encounterId)),
        UpdateExpression: 'SET careManagerId = :cm',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(careManagerId)',
        ExpressionAttributeValues: toItem({ ':cm': cm.careManagerId }),
      },
    };
    try {
      await transact(
        [
          ...take(encounter.facilityId, cm, { encounterId: encounter.encounterId, unit: encounter.unit, assignedAt: now.toISOString() }),
          setCareManager,
        ],
        (failed) => new ConflictError(failed.includes(0) ? `${cm.careManagerId} has a full caseload` : 'already assigned'),
      );
      return true;
    } catch (error) {
      if ((error as Error).message === 'already assigned') return false;
      throw error;
    }
  }

  /** Moves the stay from its care manager to another, in one write. */
  async function reassign(
    encounter: Encounter,
    to: RosterEntry,
    now: Date,
    assignment?: Encounter['careManagerAssignment'],
  ): Promise<Encounter> {
    const from = encounter.careManagerId;
    const { next, updates } = versionedUpdate(
      tableName,
      encounter,
      { fields: { careManagerId: to.careManagerId, ...(assignment ? { careManagerAssignment: assignment } : {}) } },
      now,
    );
    const items = [
      ...take(encounter.facilityId, to, { encounterId: encounter.encounterId, unit: encounter.unit, assignedAt: now.toISOString() }),
      ...updates.map((Update) => ({ Update })),
      ...(from ? release(encounter.facilityId, from, encounter.encounterId) : []),
    ];
    await transact(
      items,
      (failed) =>
        new ConflictError(
          failed.includes(0) ? `${to.careManagerId} has a full caseload` : `Encounter ${encounter.encounterId} was changed meanwhile`,
        ),
    );
    return next;
  }

  /** A discharged or cancelled stay leaves the caseload (once: the stay item must still be there). */
  async function releaseStay(facilityId: string, careManagerId: string, encounterId: string): Promise<void> {
    await transact(release(facilityId, careManagerId, encounterId), () => new ConflictError('already released')).catch((error: Error) => {
      if (error.name !== 'ConflictError') throw error;
    });
  }

  async function stays(facilityId: string, careManagerId: string): Promise<CaseloadEntry[]> {
    return (
      await queryByPrefix<CaseloadEntry & Record<string, unknown>>(
        client,
        tableName,
        keys.caseload(facilityId, careManagerId),
        'ENCOUNTER#',
      )
    ).map(({ encounterId, unit, assignedAt }) => ({ encounterId, unit, assignedAt }));
  }

  return { load, assign, reassign, releaseStay, stays };
}
