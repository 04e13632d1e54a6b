import { GetItemCommand, TransactWriteItemsCommand, type DynamoDBClient, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { Encounter } from '../domain/encounter';
import { ConflictError, PreconditionFailedError } from '../domain/errors';
import type { AllergyList } from '../domain/medications/allergies';
import { failedConditions, fromItem, isTransactionConflict, toItem } from './dynamo';
import { versionedUpdate, type EncounterChanges } from './encounter-store';
import { keys, stripStorage } from './keys';

/** A stay whose medication reconciliation is checked again, written with the list or not at all. */
export interface StayRecheck {
  current: Encounter;
  changes: EncounterChanges;
}

/** A patient's allergy list: one item per patient, replaced only over the version the author read. */
export function allergyStore(client: DynamoDBClient, tableName: string) {
  async function get(patientId: string): Promise<AllergyList | undefined> {
    const out = await client.send(
      new GetItemCommand({ TableName: tableName, Key: toItem(keys.allergyList(patientId)), ConsistentRead: true }),
    );
    return out.Item ? stripStorage<AllergyList>(fromItem(out.Item)) : undefined;
  }

  /**
   * The new list and the rechecked reconciliations of the patient's open stays in one
   * transaction, so a list is never stored without the stays it changes. A stale list is
   * PreconditionFailedError (412); a stay changed since it was read is ConflictError (read the
   * stays again and retry).
   */
  async function save(next: AllergyList, stays: readonly StayRecheck[] = [], now = new Date()): Promise<void> {
    const previous = next.version - 1;
    const list: TransactWriteItem = {
      Put: {
        TableName: tableName,
        Item: toItem({ ...keys.allergyList(next.patientId), entityType: 'AllergyList', ...next }),
        ...(previous === 0
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : { ConditionExpression: 'version = :previous', ExpressionAttributeValues: toItem({ ':previous': previous }) }),
      },
    };
    const updates: TransactWriteItem[] = stays.flatMap((stay) =>
      versionedUpdate(tableName, stay.current, stay.changes, now).updates.map((Update) => ({ Update })),
    );
    try {
      await client.send(new TransactWriteItemsCommand({ TransactItems: [list, ...updates] }));
    } catch (error) {
      const failed = failedConditions(error);
      if (failed.includes(0)) throw new PreconditionFailedError('The allergy list was changed since you read it; read it again');
      if (failed.length > 0 || isTransactionConflict(error))
        throw new ConflictError('A stay of the patient changed while its medications were checked again');
      throw error;
    }
  }

  return { get, save };
}
