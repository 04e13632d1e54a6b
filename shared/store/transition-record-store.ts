import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { TransitionRecord } from '../domain/transition-record';
import { fromItem, putIfAbsent, toItem } from './dynamo';
import { keys, stripStorage } from './keys';

/** One transition record per stay, written once (a retried step finds it and sends nothing twice). */
export function transitionRecordStore(client: DynamoDBClient, tableName: string) {
  async function get(encounterId: string): Promise<TransitionRecord | undefined> {
    const out = await client.send(new GetItemCommand({ TableName: tableName, Key: toItem(keys.transitionRecord(encounterId)), ConsistentRead: true }));
    return out.Item ? stripStorage<TransitionRecord>(fromItem(out.Item)) : undefined;
  }

  /** The stored record: this one, or the one an earlier attempt already wrote. */
  async function putOnce(record: TransitionRecord): Promise<TransitionRecord> {
    const written = await putIfAbsent(client, tableName, { ...keys.transitionRecord(record.encounterId), entityType: 'TransitionRecord', ...record });
    return written ? record : (await get(record.encounterId))!;
  }

  return { get, putOnce };
}
