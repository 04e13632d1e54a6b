import {
  ConditionalCheckFailedException,
  QueryCommand,
  TransactionCanceledException,
  type AttributeValue,
  type DynamoDBClient,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';

export type Item = Record<string, AttributeValue>;

export const toItem = (value: Record<string, unknown>): Item =>
  marshall(value, { removeUndefinedValues: true, convertEmptyValues: false });

export const fromItem = <T = Record<string, unknown>>(item: Item): T => unmarshall(item) as T;

export function isConditionFailure(error: unknown): boolean {
  return error instanceof ConditionalCheckFailedException || (error as Error)?.name === 'ConditionalCheckFailedException';
}

/** Index (in the transaction's item order) of every item whose condition failed. */
export function failedConditions(error: unknown): number[] {
  if (!(error instanceof TransactionCanceledException) && (error as Error)?.name !== 'TransactionCanceledException') {
    return [];
  }
  const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
  return reasons.flatMap((reason, index) => (reason.Code === 'ConditionalCheckFailed' ? [index] : []));
}

/** A transaction cancelled because another one was touching the same items: safe to retry. */
export function isTransactionConflict(error: unknown): boolean {
  const reasons = (error as TransactionCanceledException)?.CancellationReasons ?? [];
  return (error as Error)?.name === 'TransactionCanceledException' && reasons.some((r) => r.Code === 'TransactionConflict');
}

/** Every page of a query: items, and (with Select COUNT) the total count. Never a scan. */
export async function queryAll(client: DynamoDBClient, input: QueryCommandInput): Promise<{ items: Item[]; count: number }> {
  const items: Item[] = [];
  let count = 0;
  let startKey: Item | undefined;
  do {
    const out = await client.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    items.push(...(out.Items ?? []));
    count += out.Count ?? 0;
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return { items, count };
}

/** Items of one partition whose sort key starts with `prefix`, in sort-key order (consistent read). */
export async function queryByPrefix<T>(client: DynamoDBClient, tableName: string, pk: string, prefix: string): Promise<T[]> {
  const { items } = await queryAll(client, {
    TableName: tableName,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: toItem({ ':pk': pk, ':prefix': prefix }),
    ConsistentRead: true,
  });
  return items.map((item) => fromItem<T>(item));
}
