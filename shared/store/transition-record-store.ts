import { PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { asVersion, type TransitionRecord, type TransitionRecordVersion, type TransitionVersionStatus } from '../domain/transition-record';
import { isConditionFailure, putIfAbsent, queryByPrefix, toItem } from './dynamo';
import { keys, stripStorage } from './keys';

/**
 * A stay's transition records, one version per discharge, each its own item (a Bundle is large).
 * A version is written once (a retried step finds it); its status changes only conditionally.
 */
export function transitionRecordStore(client: DynamoDBClient, tableName: string) {
  const item = (record: TransitionRecordVersion) => ({
    ...keys.transitionRecord(record.encounterId, record.version),
    entityType: 'TransitionRecord',
    ...record,
  });

  /** Every version, oldest first (a record from before versions is version 1). */
  async function versions(encounterId: string): Promise<TransitionRecordVersion[]> {
    const { pk, sk } = keys.transitionRecord(encounterId);
    const items = await queryByPrefix<Record<string, unknown>>(client, tableName, pk, sk);
    return items.map((stored) => asVersion(stripStorage<TransitionRecord>(stored))).sort((a, b) => a.version - b.version);
  }

  /** True when written; false when that version number was already taken. */
  async function putVersion(record: TransitionRecordVersion): Promise<boolean> {
    return putIfAbsent(client, tableName, item(record));
  }

  /**
   * Replaces a version only while its stored status is one of `from` (a record from before
   * versions has none and counts as current): false when another writer changed it first.
   */
  async function changeVersion(record: TransitionRecordVersion, from: readonly TransitionVersionStatus[]): Promise<boolean> {
    const names = from.map((_, index) => `:from${index}`);
    try {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: toItem(item(record)),
          ConditionExpression: `attribute_exists(pk) AND (${from.includes('current') ? 'attribute_not_exists(#status) OR ' : ''}#status IN (${names.join(', ')}))`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: toItem(Object.fromEntries(from.map((status, index) => [names[index], status]))),
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  return { versions, putVersion, changeVersion };
}
